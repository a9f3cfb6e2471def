"""``clausegen serve``: the HTTP API over the same core as the CLI; it may import every step
before it, and nothing imports it but ``clausegen serve`` (inside the command).

One module per concern: ``app`` (the factory), ``settings``, ``problems`` (RFC 9457 problem
details carrying the CLI's messages), ``limits`` (body size, concurrency, queue, time
budget), ``auth`` (optional bearer token), ``uploads`` (request workspaces with server-chosen
names), ``conversion`` (the one adapter to the PDF converter), and the routes by resource:
``calibrage``, ``documents``, ``law`` (fragments and parameters), ``meta`` (health, version).
"""
