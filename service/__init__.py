"""The Green Shelf web app and command line: the only package that knows Litestar, Jinja, Babel and qrcode."""
