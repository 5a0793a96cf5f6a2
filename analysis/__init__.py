"""The library of the 「選択と集中」 book: what its chapters import (data, units,
growth, statistics, the claims ledger and its ratings, charts, tables, and the
topic modules). It never imports the tooling (``tooling/``)."""
