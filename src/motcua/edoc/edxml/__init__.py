"""edXML packages (QCVN 102:2016/BTTTT, amended 2022): plain data classes, a builder, a parser
(which also reads the legacy pre-standard variant), schema validation and XML signatures.

Nothing here touches the database: the edoc services turn register entries into these classes
and back. See docs/edxml.md for the structure and the sources.
"""
