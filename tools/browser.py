"""What tools/check_docs.py and tools/check_demo.py share: Debian's Chromium, started headless and offline, and
a quiet local server for the built site."""

import functools, http.server, threading

CHROMIUM = '/usr/bin/chromium'
ARGS = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--no-first-run',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
]


def serve(directory):
    "Serve `directory` on 127.0.0.1 at a free port, quietly, from a daemon thread."

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd
