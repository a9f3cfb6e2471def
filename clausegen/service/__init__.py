"""The service: clausegen over HTTP (the web form for buyers and facilitators).

The last step of the flow: it may import every step before it, the CLI's producers and views
included, so that the service says and writes exactly what the command line does.
"""
