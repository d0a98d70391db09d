"""Warm the process before it serves, then freeze what it holds out of the garbage collector's sight.

Measured (bench/, issue 15): a worker holds about 300,000 long-lived objects (modules, the ORM's mappings, Babel's
locale data, compiled templates). A full collection walks all of them, about 150–250 ms on the 2-core box, and
while the first pages load those data it ran during load: the scan page's p99 was that pause. Loading them first and
freezing them (`gc.freeze`, as Python's docs advise for long-running servers) leaves full collections only the
objects made since, a few milliseconds.

Serving processes only: warming takes about 0.3 s, which the test suite's hundreds of short-lived apps skip.
"""

import gc

from babel import Locale, dates, numbers
from litestar import Litestar

from service import i18n


def warm(app: Litestar) -> None:
    """Compile every template and load each language's CLDR data, as the first pages would."""
    engine = app.template_engine
    if engine is not None:
        environment = engine.engine  # type: ignore[attr-defined]
        for name in environment.list_templates(extensions=["html"]):
            environment.get_template(name)
    for code in i18n.LOCALES:
        locale = Locale.parse(code)
        dates.format_date(None, "long", locale=locale)
        numbers.format_decimal(1234.5, locale=locale)
        numbers.format_currency(185_000, "VND", locale=locale)


def warm_and_freeze(app: Litestar) -> None:
    """An on_startup hook for serving processes (app_from_env): runs once the lifespan hooks have started."""
    warm(app)
    gc.collect()
    gc.freeze()
