"""Exports of the statistics: Excel (Form 06a layout, the 766 index, satisfaction), PDF of the
same with charts, CSV of every table. Built from ``stats.types`` only (the query layer's
figures), so the numbers are the pages' and the API's."""
