"""A year's row of a coverage chart's data table (``charts.CoverageChart``)."""

from .fill import fragment, join

ROW = fragment('<tr><th scope="row">{year}</th>{cells}<td>{total}</td></tr>\n          ')
CELL = fragment("<td>{value}</td>")


def coverage_table_rows(chart):
    """The ``<tr>`` of a ``charts.CoverageChart``'s data table, one per year."""
    return join(
        ROW(
            year=f"{row.year:d}",
            cells=join(CELL(value=c) for c in row.cells),
            total=f"{row.total:d}",
        )
        for row in chart.rows
    )
