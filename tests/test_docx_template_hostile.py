"""A Word reference template is data, never instructions.

Each template here is a real one (written by python-docx, with an office's own style) changed
the way a hostile or damaged file would be: a part that lies about its size, a DOCTYPE or an
entity in an XML part, links Word would follow and code it would run when a memo is opened.
The build is a real `briefing` process; a refused template leaves the previous memo as it was.
"""

from __future__ import annotations

import io
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Pt

from briefing.scaffold import init_project

ROOT = Path(__file__).resolve().parent.parent
MEMO = "congestion"
AUDIENCE = "principal"
TEMPLATE = "office.docx"

_PEAK_OF_CHILD = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
    "print(done.stdout + done.stderr)\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    "sys.exit(done.returncode)\n"
)
"""Runs a command and prints its output, then the peak memory (kB) of it and its workers:
measured in a process of its own, so that no earlier child of the tests counts."""


def _run(command: list[str]) -> tuple[int, str]:
    """A real process's exit code and everything it printed."""
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=120)
    return done.returncode, done.stdout + done.stderr


def _said_cleanly(said: str, *words: str) -> None:
    """Each of `words` was said, and no traceback."""
    assert "Traceback" not in said, said
    for word in words:
        assert word in said, (word, said)


@dataclass
class Office:
    """A started project whose principal memo uses office.docx, built once with a good one."""

    root: Path
    template: dict[str, bytes]
    """The good template's parts, to be changed."""
    memo: bytes
    """The DOCX the good template gave."""

    @property
    def output(self) -> Path:
        return self.root / "output" / MEMO / f"{AUDIENCE}.docx"

    def command(self) -> list[str]:
        return [
            sys.executable, str(ROOT / "build.py"), "build",
            "--content", str(self.root / "content"), "--templates", str(self.root / "tpl"),
            "--out", str(self.root / "output"),
            "--audience", AUDIENCE, "--format", "docx", "--jobs", "1", "--force",
        ]  # fmt: skip

    def put(self, template: bytes) -> None:
        """Put this template in place of office.docx, and the good memo back in its place."""
        (self.root / "tpl" / TEMPLATE).write_bytes(template)
        self.output.write_bytes(self.memo)

    def build(self, template: bytes) -> tuple[int, str]:
        self.put(template)
        return _run(self.command())

    def refused(self, template: bytes, *words: str) -> str:
        """What the build said of a template that must be refused with B416 and these words,
        cleanly, the good memo kept byte for byte."""
        code, said = self.build(template)
        assert code != 0, said
        _said_cleanly(said, "[B416]", *words)
        assert self.output.read_bytes() == self.memo, "the previous memo was replaced"
        return said


def _zipped(parts: dict[str, bytes], bzip2: str = "") -> bytes:
    """The parts as a zip, deflated as Word does (but the part named `bzip2`)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            how = zipfile.ZIP_BZIP2 if name == bzip2 else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, how)
    return buffer.getvalue()


def _good_template() -> dict[str, bytes]:
    """A template an office keeps: its own BLUF style, and text that must not reach a memo."""
    document = docx.Document()
    bluf = document.styles.add_style("Memo BLUF", WD_STYLE_TYPE.PARAGRAPH)
    bluf.font.size = Pt(15)
    document.add_paragraph("Template text.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    root = tmp_path_factory.mktemp("office")
    init_project(root)
    (root / "tpl").mkdir()
    with (root / "content" / "audiences" / f"{AUDIENCE}.yaml").open("a") as profile:
        profile.write(f"\ndocx_template: {TEMPLATE}\n")
    project = Office(root, _good_template(), b"")
    (root / "tpl" / TEMPLATE).write_bytes(_zipped(project.template))
    code, said = _run(project.command())
    assert code == 0, said
    project.memo = project.output.read_bytes()
    return project


def _declared(data: bytearray, part: str, size: int) -> None:
    """Make the zip in `data` say that `part` is deflated and `size` bytes long, whatever it
    holds: in its central directory entry and in its local header."""
    central = data.rindex(part.encode()) - 46
    assert data[central : central + 4] == b"PK\x01\x02"
    local = struct.unpack_from("<I", data, central + 42)[0]
    assert data[local : local + 4] == b"PK\x03\x04"
    for header, method, unpacked in ((central, 10, 24), (local, 8, 22)):
        struct.pack_into("<H", data, header + method, zipfile.ZIP_DEFLATED)
        struct.pack_into("<I", data, header + unpacked, size)


def _zeros_deflated(mebibytes: int) -> bytes:
    """A raw deflate stream of `mebibytes` MiB of zeros, made in a moment: one 16 MiB piece,
    flushed so that it stands alone, repeated."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    piece = compressor.compress(bytes(1 << 24)) + compressor.flush(zlib.Z_FULL_FLUSH)
    return piece * (mebibytes // 16) + zlib.compressobj(9, zlib.DEFLATED, -15).flush()


def test_a_part_that_lies_about_its_size_is_refused_in_little_memory(
    office: Office, tmp_path: Path
) -> None:
    """styles.xml declares 300 kB and inflates to 1 GiB: refused when its stream passes what
    it declared, not after python-docx has inflated all of it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in office.template.items():
            if name != "word/styles.xml":
                archive.writestr(name, data, zipfile.ZIP_DEFLATED)
        archive.writestr("word/styles.xml", _zeros_deflated(1024), zipfile.ZIP_STORED)
    bomb = bytearray(buffer.getvalue())
    _declared(bomb, "word/styles.xml", 300_000)
    assert len(bomb) < 2_000_000
    office.put(bytes(bomb))
    code, said = _run([sys.executable, "-c", _PEAK_OF_CHILD, *office.command()])
    peak = int(said.split()[-1])
    assert code != 0, said
    _said_cleanly(said, "[B416]", "word/styles.xml")
    assert peak < 500_000, f"the build peaked at {peak:,} kB"
    assert office.output.read_bytes() == office.memo


def test_a_part_compressed_as_word_never_does_is_refused(office: Office) -> None:
    """zipfile inflates bzip2 and LZMA in one step, whatever the size: only Word's ways pass."""
    template = _zipped(office.template, bzip2="word/styles.xml")
    office.refused(template, "word/styles.xml", "not stored the way Word does")


_DOCTYPE = b'<!DOCTYPE x [<!ENTITY x SYSTEM "file:///etc/passwd"><!ENTITY y "CANARY">]>'


def _with_doctype(xml: bytes) -> bytes:
    """The part with a DOCTYPE declaring an external and an internal entity, both used."""
    declaration_end = xml.index(b"?>") + 2
    closing = xml.rindex(b"</")
    return (
        xml[:declaration_end] + _DOCTYPE + xml[declaration_end:closing] + b"<x>&x;&y;</x>"
        + xml[closing:]
    )  # fmt: skip


def _with_entity(xml: bytes) -> bytes:
    """The part using an entity XML does not define, without any DTD."""
    closing = xml.rindex(b"</")
    return xml[:closing] + b"<x>&x;</x>" + xml[closing:]


@pytest.mark.parametrize(
    ("part", "change", "said"),
    [
        *(
            (part, _with_doctype, "declares a DOCTYPE")
            for part in (
                "word/document.xml",
                "word/styles.xml",
                "word/settings.xml",
                "word/numbering.xml",
                "docProps/core.xml",
                "word/theme/theme1.xml",
                "[Content_Types].xml",
                "word/_rels/document.xml.rels",
            )
        ),
        ("word/webSettings.xml", _with_entity, "Entity 'x' not defined"),
        ("word/fontTable.xml", _with_entity, "Entity 'x' not defined"),
    ],
)
def test_a_doctype_or_an_undefined_entity_is_refused_naming_the_part(
    office: Office, part: str, change: object, said: str
) -> None:
    """python-docx would keep `&x;` undefined, or carry the part as it is: the memo written
    could not be opened, and the build would say it was written."""
    assert callable(change)
    parts = {**office.template, part: change(office.template[part])}
    output = office.refused(_zipped(parts), f"{part} ", said, "save the template again from Word")
    assert "CANARY" not in output
    assert "root:" not in output


_R = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MS_RELS = "http://schemas.microsoft.com/office/2006/relationships"


def _relationships(*entries: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns='
        f'"http://schemas.openxmlformats.org/package/2006/relationships">{"".join(entries)}'
        "</Relationships>"
    ).encode()


def _inserted(part: bytes, closing: str, added: str) -> bytes:
    """`part` with `added` written just before its `closing` tag."""
    return part.decode().replace(closing, added + closing).encode()


def _with_links_and_code(template: dict[str, bytes]) -> dict[str, bytes]:
    """The template with what Word follows or runs on opening: a remote attached template and
    a mail merge data source (settings), an external image and an OLE link to a local file,
    a macro project and an ActiveX control (document)."""
    parts = dict(template)
    parts["word/_rels/settings.xml.rels"] = _relationships(
        f'<Relationship Id="rIdT" Type="{_RELS}/attachedTemplate" '
        'Target="http://127.0.0.1:9/REMOTE-CANARY.dotm" TargetMode="External"/>',
        f'<Relationship Id="rIdM" Type="{_RELS}/mailMergeSource" '
        'Target="file:///srv/MERGE-CANARY.xlsx" TargetMode="External"/>',
    )
    settings = template["word/settings.xml"].decode()
    assert _R in settings
    parts["word/settings.xml"] = settings.replace(
        "<w:zoom",
        '<w:attachedTemplate r:id="rIdT"/><w:mailMerge><w:mainDocumentType w:val="formLetters"/>'
        '<w:dataType w:val="native"/><w:connectString w:val="Data Source=\\\\MERGE-CANARY\\x"/>'
        '<w:dataSource r:id="rIdM"/></w:mailMerge><w:zoom',
        1,
    ).encode()
    parts["word/_rels/document.xml.rels"] = _inserted(
        template["word/_rels/document.xml.rels"],
        "</Relationships>",
        f'<Relationship Id="rIdX" Type="{_RELS}/image" '
        'Target="http://127.0.0.1:9/BEACON-CANARY.png" TargetMode="External"/>'
        f'<Relationship Id="rIdF" Type="{_RELS}/oleObject" Target="file:///etc/passwd" '
        'TargetMode="External"/>'
        f'<Relationship Id="rIdV" Type="{_MS_RELS}/vbaProject" Target="vbaProject.bin"/>'
        f'<Relationship Id="rIdA" Type="{_RELS}/control" Target="activeX/activeX1.xml"/>',
    )
    parts["word/vbaProject.bin"] = b"VBA-CANARY" * 100
    parts["word/activeX/activeX1.xml"] = (
        b'<?xml version="1.0"?><ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/'
        b'activeX">CANARY</ax:ocx>'
    )
    parts["[Content_Types].xml"] = _inserted(
        template["[Content_Types].xml"],
        "</Types>",
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        '<Override PartName="/word/activeX/activeX1.xml" '
        'ContentType="application/vnd.ms-office.activeX+xml"/>',
    )
    return parts


def test_links_and_code_in_a_template_never_reach_a_memo(office: Office) -> None:
    """Word fetches a remote attached template (and on Windows a UNC path leaks the user's
    credentials), queries a mail merge's source and loads macros and controls when a memo is
    opened: none of them is carried, and the office's styles still are."""
    code, said = office.build(_zipped(_with_links_and_code(office.template)))
    assert code == 0, said
    with zipfile.ZipFile(office.output) as memo:
        names = memo.namelist()
        text = {name: memo.read(name).decode("utf-8", "replace") for name in names}
    assert not [n for n in names if re.search(r"vba|activeX|embeddings", n, re.IGNORECASE)]
    assert not [n for n, t in text.items() if n.endswith(".rels") and "External" in t]
    assert not [n for n, t in text.items() if "CANARY" in t or "/etc/passwd" in t]
    assert "attachedTemplate" not in text["word/settings.xml"]
    assert "mailMerge" not in text["word/settings.xml"]
    assert "vbaProject" not in text["[Content_Types].xml"]
    document = docx.Document(str(office.output))
    assert document.styles["Memo BLUF"].font.size == Pt(15)
    assert "Template text." not in [p.text for p in document.paragraphs]


def _with_its_own_words(template: dict[str, bytes]) -> dict[str, bytes]:
    """The template with a reviewer's comment, a building block and custom properties: the
    office's own words and data, which a memo sent out must not carry."""
    parts = dict(template)
    main = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    parts["word/comments.xml"] = (
        f'<?xml version="1.0"?><w:comments xmlns:w="{main}"><w:comment w:id="0" '
        'w:author="COMMENT-CANARY"><w:p><w:r><w:t>INTERNAL-CANARY: do not send</w:t></w:r>'
        "</w:p></w:comment></w:comments>"
    ).encode()
    parts["word/glossary/document.xml"] = (
        f'<?xml version="1.0"?><w:glossaryDocument xmlns:w="{main}"><w:docParts><w:docPart>'
        "<w:docPartBody><w:p><w:r><w:t>GLOSSARY-CANARY</w:t></w:r></w:p></w:docPartBody>"
        "</w:docPart></w:docParts></w:glossaryDocument>"
    ).encode()
    parts["docProps/custom.xml"] = (
        b'<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-'
        b'08002B2CF9AE}" pid="2" name="Client"><vt:lpwstr>CUSTOM-CANARY</vt:lpwstr></property>'
        b"</Properties>"
    )
    parts["word/_rels/document.xml.rels"] = _inserted(
        template["word/_rels/document.xml.rels"],
        "</Relationships>",
        f'<Relationship Id="rIdC" Type="{_RELS}/comments" Target="comments.xml"/>'
        f'<Relationship Id="rIdG" Type="{_RELS}/glossaryDocument" '
        'Target="glossary/document.xml"/>',
    )
    parts["_rels/.rels"] = _inserted(
        template["_rels/.rels"],
        "</Relationships>",
        f'<Relationship Id="rIdP" Type="{_RELS}/custom-properties" Target="docProps/custom.xml"/>',
    )
    parts["[Content_Types].xml"] = _inserted(
        template["[Content_Types].xml"],
        "</Types>",
        '<Override PartName="/word/comments.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
        '<Override PartName="/word/glossary/document.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.wordprocessingml.document.glossary+xml"/>'
        '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.custom-properties+xml"/>',
    )
    return parts


def test_a_templates_own_comments_and_data_never_reach_a_memo(office: Office) -> None:
    """Reviewers' comments, building blocks and custom properties in an office's template
    are its own words: the memo keeps the template's styles and none of them."""
    code, said = office.build(_zipped(_with_its_own_words(office.template)))
    assert code == 0, said
    with zipfile.ZipFile(office.output) as memo:
        names = memo.namelist()
        text = "".join(memo.read(name).decode("utf-8", "replace") for name in names)
    assert "CANARY" not in text
    assert not [n for n in names if re.search(r"comments|glossary|custom\.xml", n)]
    document = docx.Document(str(office.output))
    assert document.styles["Memo BLUF"].font.size == Pt(15)


def test_a_macro_enabled_template_is_refused(office: Office) -> None:
    content_types = office.template["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml"
    )
    parts = {**office.template, "[Content_Types].xml": content_types}
    office.refused(_zipped(parts), "macro-enabled")


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("a" * 300 + ".docx", "[B204]"),
        ("/".join(["b" * 250] * 17) + "/office.docx", "[B415]"),
    ],
    ids=["a-300-character-name", "a-path-longer-than-the-system-takes"],
)
def test_a_template_name_too_long_is_refused_not_a_crash(
    started: Path, name: str, said: str
) -> None:
    """A name no file can have is refused at its line in the profile; a path longer than the
    system looks up is not found. Neither is a failure of the renderer (B406)."""
    profile = started / "audiences" / f"{AUDIENCE}.yaml"
    with profile.open("a") as appended:
        appended.write(f"\ndocx_template: {name}\n")
    code, output = _run(
        [sys.executable, str(ROOT / "build.py"), "build", "--content", str(started),
         "--audience", AUDIENCE, "--format", "docx", "--jobs", "1"],
    )  # fmt: skip
    assert code != 0, output
    assert "B406" not in output, output
    _said_cleanly(output, said)
    if said == "[B204]":
        line = len(profile.read_text().splitlines())
        _said_cleanly(output, f"{AUDIENCE}.yaml:{line}:", "at most 255 characters")
