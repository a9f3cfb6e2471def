"""The service: clausegen over HTTP, the JSON API and the web form for buyers and
facilitators (``clausegen serve``).

The last step of the flow: it may import every step before it, the CLI's producers and views
included, so that the service says and writes exactly what the command line does; nothing
imports it but ``clausegen serve`` (inside the command).

One module per concern: ``app`` (the factory), ``settings``, ``problems`` (RFC 9457 problem
details carrying the CLI's messages), ``limits`` (body size, concurrency, queue, time
budget), ``auth`` (optional bearer token, the web form's access cookie), ``wrong_tokens``
(wrong tokens counted by client address, 429 past them), ``uploads`` (request workspaces
with server-chosen names), ``conversion`` (the one adapter to the PDF converter), the
routes by resource: ``calibrage``, ``documents``, ``law`` (fragments and parameters),
``meta`` (health, version), and ``web``, the French form (server-rendered pages).
"""
