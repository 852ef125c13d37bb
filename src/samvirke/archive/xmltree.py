"""Small helpers for writing the export's XML with lxml."""

from __future__ import annotations

from collections.abc import Callable

from lxml import etree

XSI = "http://www.w3.org/2001/XMLSchema-instance"


def document_root(namespace: str, name: str, schema_file: str) -> etree._Element:
    """A root element in `namespace` (the default namespace) that names its schema."""
    root = etree.Element(f"{{{namespace}}}{name}", nsmap={None: namespace, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{namespace} {schema_file}")
    return root


def element_writer(namespace: str) -> Callable[..., etree._Element]:
    """`sub(parent, tag, text=None, **attributes)`: a child element in `namespace`;
    text None leaves it empty."""

    def sub(parent: etree._Element, tag: str, text: object = None, /, **attributes: str):
        element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
        if text is not None:
            element.text = str(text)
        return element

    return sub


def serialise(root: etree._Element) -> bytes:
    body = etree.tostring(root, encoding="utf-8", pretty_print=True)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body
