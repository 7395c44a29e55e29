"""What serves the API and the pages: the app factory, the WSGI server, authentication,
problem details, the request's calls into the ledger, and long-running jobs."""
