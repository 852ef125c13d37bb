"""arkivuttrekk.xml: the ADDML 8.3 description of an export, laid out as in Arkivverket's
example for Noark 5 exports: who made the archive (the municipality), the system, the
period, and for each XML file its schema files and SHA-256 checksums and how many
records it holds. The document files' checksums are in arkivstruktur.xml (sjekksum)."""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from samvirke.archive import codes
from samvirke.archive.mapping import ExportContents
from samvirke.archive.xmltree import document_root, element_writer

NAMESPACE = "http://www.arkivverket.no/standarder/addml"
NAME = "Noark 5-arkivuttrekk"

sub = element_writer(NAMESPACE)


@dataclass(frozen=True)
class Prop:
    """An ADDML property: a name, perhaps a value and a data type, and sub-properties."""

    name: str
    value: object = None
    children: tuple = field(default=())
    data_type: str | None = None


def _properties(parent: etree._Element, props: list[Prop] | tuple[Prop, ...]) -> None:
    properties = sub(parent, "properties")
    for prop in props:
        attributes = {"name": prop.name}
        if prop.data_type:
            attributes["dataType"] = prop.data_type
        element = sub(properties, "property", **attributes)
        if prop.value is not None:
            sub(element, "value", prop.value)
        if prop.children:
            _properties(element, prop.children)


def _file(name: str, checksum: str | None) -> Prop:
    children = [Prop("name", name), Prop("format", "XML", (Prop("version", "1.0"),))]
    if checksum is not None:
        children.append(
            Prop(
                "checksum",
                children=(Prop("algorithm", codes.CHECKSUM_ALGORITHM), Prop("value", checksum)),
            )
        )
    return Prop("file", children=tuple(children))


def _schema(name: str, checksum: str, *, main: bool) -> Prop:
    return Prop(
        "schema",
        "main" if main else None,
        (_file(name, checksum), Prop("type", "XML Schema", (Prop("version", "1.0"),))),
    )


def _occurrences(element: str, count: int) -> Prop:
    return Prop(
        "numberOfOccurrences",
        element,
        (Prop("elementPath", f"//{element}"), Prop("value", count, data_type="integer")),
    )


@dataclass(frozen=True)
class XmlFile:
    """One of the export's XML files as ADDML describes it."""

    name: str  # "arkivstruktur" (the file is name + ".xml", its schema name + ".xsd")
    checksum: str
    occurrences: dict[str, int]


def build(
    contents: ExportContents,
    *,
    files: list[XmlFile],
    schema_checksums: dict[str, str],
    document_count: int,
    has_screened: bool,
) -> etree._Element:
    root = document_root(NAMESPACE, "addml", "addml.xsd")
    root.set("name", NAME)
    dataset = sub(root, "dataset")
    sub(dataset, "description", NAME)

    reference = sub(dataset, "reference")
    context = sub(reference, "context")
    elements = sub(context, "additionalElements")
    creators = sub(elements, "additionalElement", name="recordCreators")
    creator = sub(sub(creators, "additionalElements"), "additionalElement", name="recordCreator")
    sub(creator, "value", contents.creator_name)
    sub(sub(elements, "additionalElement", name="systemType"), "value", codes.SYSTEM_TYPE)
    sub(sub(elements, "additionalElement", name="systemName"), "value", codes.SYSTEM_NAME)
    archive = sub(elements, "additionalElement", name="archive")
    sub(archive, "value", f"{contents.organisation.name} – {codes.SYSTEM_NAME}")

    content = sub(reference, "content")
    period = sub(sub(content, "additionalElements"), "additionalElement", name="archivalPeriod")
    _properties(
        period,
        [
            Prop("startDate", contents.date_from.isoformat()),
            Prop("endDate", contents.date_to.isoformat()),
        ],
    )

    outer = sub(sub(dataset, "dataObjects"), "dataObject", name=NAME)
    boolean = "boolean"
    _properties(
        outer,
        [
            Prop(
                "info",
                children=(
                    Prop("type", "Noark 5", (Prop("version", codes.NOARK_VERSION),)),
                    Prop(
                        "additionalInfo",
                        children=(
                            Prop(
                                "periode",
                                children=(
                                    # only closed cases: nothing carried over either way
                                    Prop("inngaaendeSkille", "skarpt"),
                                    Prop("utgaaendeSkille", "skarpt"),
                                ),
                            ),
                            Prop(
                                "inneholderSkjermetInformasjon",
                                str(has_screened).lower(),
                                data_type=boolean,
                            ),
                            Prop("omfatterDokumenterSomErKassert", "false", data_type=boolean),
                            Prop("inneholderDokumenterSomSkalKasseres", "false", data_type=boolean),
                            Prop(
                                "inneholderVirksomhetsspesifikkeMetadata",
                                "false",
                                data_type=boolean,
                            ),
                            Prop("antallDokumentfiler", document_count, data_type="integer"),
                        ),
                    ),
                ),
            )
        ],
    )
    inner = sub(outer, "dataObjects")
    for xml_file in files:
        data_object = sub(inner, "dataObject", name=xml_file.name)
        schema_name = f"{xml_file.name}.xsd"
        _properties(
            data_object,
            [
                _file(f"{xml_file.name}.xml", xml_file.checksum),
                _schema(schema_name, schema_checksums[schema_name], main=True),
                _schema("metadatakatalog.xsd", schema_checksums["metadatakatalog.xsd"], main=False),
                Prop(
                    "info",
                    children=tuple(
                        _occurrences(element, count)
                        for element, count in xml_file.occurrences.items()
                    ),
                ),
            ],
        )
    return root
