"""Consumer-facing pages (HTML) and the GS1 Digital Link resolver."""
