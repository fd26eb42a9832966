"""kit mail: the draft read back with the standard library, and real SMTP servers on 127.0.0.1.

Rendering is replaced by a fake that returns small PDF bytes in most tests, so
they check the mail and nothing else; one end-to-end test renders for real.
Every server here is started by the tests on 127.0.0.1; no other address is used.
"""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from framework_kit import api, mail
from framework_kit.cli import app
from framework_kit.cli import mail as cli_mail
from framework_kit.documents import RenderedFile
from framework_kit.mail.send import Server, parse_server

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "ukraine-three-level.yaml"
FAKE_PDF = b"%PDF-1.4\n% fake brief for the mail tests\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
FAKE_DOCX = b"PK\x03\x04 fake docx"
BRIEF_NAME = "україна-тристоронній_v0.3_brief.pdf"
DEFAULT_SUBJECT = "A Three-Level Peace Process for Ukraine — brief v0.3 (2026-11-25)"
SENDER = "Mediation Desk <desk@mfa.example.org>"


# --- helpers ---------------------------------------------------------------------------------

class FakeRender:
    """Stands in for api.render_checked: records calls, returns one file per format."""

    def __init__(self, size: int | None = None):
        self.calls = []
        self.size = size

    def __call__(self, checked, *, formats=("docx", "pdf"), only=None, templates_dir=None,
                 reference_doc=None, executor=None):
        self.calls.append({"formats": tuple(formats), "only": tuple(only) if only else only,
                           "templates_dir": templates_dir})
        files = []
        documents = ["brief"] if only else ["brief", "cbm-schedule"]
        for document in documents:
            for fmt in formats:
                data = FAKE_PDF if fmt == "pdf" else FAKE_DOCX
                if self.size:
                    data = data + b"\0" * self.size
                name = BRIEF_NAME if document == "brief" else f"ukraine_v0.3_{document}.pdf"
                files.append(RenderedFile(document, document, f"{document.title()} — test",
                                          name[:-3] + fmt, fmt, data, 2 if fmt == "pdf" else None))
        result = api.RenderResult(**{n: getattr(checked, n) for n in api.CheckResult.__dataclass_fields__})
        result.files = files
        return result


@pytest.fixture
def fake_render(monkeypatch):
    fake = FakeRender()
    monkeypatch.setattr(api, "render_checked", fake)
    return fake


@pytest.fixture(autouse=True)
def isolated(monkeypatch):
    monkeypatch.delenv("KIT_SMTP_PASSWORD", raising=False)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    # smtplib and aiosmtpd name themselves with getfqdn(), a resolver lookup; stay off the network.
    monkeypatch.setattr(socket, "getfqdn", lambda name="": "localhost")


def run(*args, input=None, env=None):
    return CliRunner().invoke(app, ["mail", *map(str, args)], input=input, env=env)


def parse(data: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(data)


def spec_with(tmp_path: Path, *replacements: tuple[str, str]) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def draft(tmp_path: Path, *extra) -> tuple[object, Path]:
    out = tmp_path / "brief.eml"
    result = run(EXAMPLE, "--to", "Олена Петренко <olena@example.org>", "--to", "b@example.net",
                 "--cc", "archive@example.org", "--from", SENDER, "-o", out, *extra)
    return result, out


# --- the draft -------------------------------------------------------------------------------

def test_draft_headers_bodies_and_attachment(tmp_path, fake_render):
    result, out = draft(tmp_path)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and BRIEF_NAME in result.output
    raw = out.read_bytes()
    message = parse(raw)
    assert message["X-Unsent"] == "1"
    assert message["Subject"] == DEFAULT_SUBJECT
    assert [(a.display_name, a.addr_spec) for a in message["To"].addresses] == [
        ("Олена Петренко", "olena@example.org"), ("", "b@example.net")]
    assert [a.addr_spec for a in message["Cc"].addresses] == ["archive@example.org"]
    assert message["From"].addresses[0].display_name == "Mediation Desk"
    assert message["Message-ID"].endswith("@mfa.example.org>")
    assert message["Date"].datetime.tzinfo is not None
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
    assert message.get_content_type() == "multipart/mixed"
    # Rendering was asked for the brief PDF only.
    assert fake_render.calls == [{"formats": ("pdf",), "only": ("brief",), "templates_dir": None}]

    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "A Three-Level Peace Process for Ukraine" in body
        assert "for consultation" in body
        assert "DRAFT — FOR DISCUSSION ONLY" in body
        assert "Table A: Bilateral Negotiations" in body
        assert "Україна (Ukraine)" in body and "Российская Федерация (Russian Federation)" in body
        assert "Observers: Republica Moldova, Rzeczpospolita Polska (Poland)" in body
        assert "Essential 1" in body and "Essential 2" in body
        assert BRIEF_NAME in body
    assert "Essential 1: A broadened process on three simultaneous, interlocking levels: met" in plain
    assert "Regional level: Table B: Regional Arrangements" in plain
    assert "(PDF, 2 pages" in plain

    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    (pdf,) = attachments
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == FAKE_PDF
    assert pdf.get_filename() == BRIEF_NAME


def test_non_ascii_file_name_is_rfc2231_with_an_ascii_fallback(tmp_path, fake_render):
    result, out = draft(tmp_path)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes().decode("ascii")  # the whole message is 7-bit
    assert "filename*0*=utf-8''%D1%83%D0%BA%D1%80" in raw or "filename*=utf-8''%D1%83" in raw
    (part,) = parse(out.read_bytes()).iter_attachments()
    assert part.get_param("name") == "ukraina-trystoronnii_v0.3_brief.pdf"
    assert part["Content-Disposition"].params["filename"] == BRIEF_NAME
    assert not part["Content-Disposition"].defects


def test_attach_all_carries_every_document_in_both_formats(tmp_path, fake_render):
    result, out = draft(tmp_path, "--attach", "all")
    assert result.exit_code == 0, result.output
    assert fake_render.calls[0]["formats"] == ("docx", "pdf") and fake_render.calls[0]["only"] is None
    assert "an unsent draft with 4 attachments" in result.output
    parts = {p.get_filename(): p for p in parse(out.read_bytes()).iter_attachments()}
    assert set(parts) == {BRIEF_NAME, BRIEF_NAME[:-3] + "docx", "ukraine_v0.3_cbm-schedule.pdf",
                          "ukraine_v0.3_cbm-schedule.docx"}
    docx = parts[BRIEF_NAME[:-3] + "docx"]
    assert docx.get_content_type() == mail.MIME_TYPES["docx"][0] + "/" + mail.MIME_TYPES["docx"][1]
    assert docx.get_content_type().endswith("wordprocessingml.document")
    assert docx.get_content() == FAKE_DOCX


def test_cyrillic_subject_arrives_exactly_as_typed(tmp_path, fake_render):
    subject = ("Тристоронній  мирний процес — бриф v0.3 (2026-11-25): проєкт для обговорення "
               "з делегаціями наступного тижня ")
    result, out = draft(tmp_path, "--subject", subject)
    assert result.exit_code == 0, result.output
    assert parse(out.read_bytes())["Subject"] == subject


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs"),
                             blacklist_characters="\u2028\u2029\x85"), min_size=1, max_size=250))
def test_any_single_line_subject_round_trips(text):
    check_subject_round_trip(text)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([chr(c) for c in range(32, 127)] + list("жёЇ—é\u00a0")), min_size=1,
               max_size=250))
def test_mostly_latin_subjects_round_trip(text):
    check_subject_round_trip(text)


def test_long_ascii_words_are_folded_within_78_characters():
    for text in ("x" * 70, "Brief " + "y" * 72 + " end", "a b " + "=" * 90):
        check_subject_round_trip(text)


def check_subject_round_trip(text):
    message = EmailMessage(policy=mail.SMTP_POLICY)
    message["Subject"] = mail.text_header("Subject", text)
    message.set_content("x")
    raw = message.as_bytes()
    header_lines = raw.split(b"\r\n\r\n")[0].split(b"\r\n")
    assert all(len(line) <= 78 for line in header_lines)
    assert parse(raw)["Subject"] == text


def test_spec_values_are_escaped_in_the_html(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("name: European Union", 'name: "<script>alert(1)</script> & Union"'))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output
    message = parse(out.read_bytes())
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Union" in html
    assert "<script>alert(1)</script> & Union" in message.get_body(("plain",)).get_content()


def test_a_waived_essential_is_reported_as_waived(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("administered_by: [un]", "administered_by: [ukraine]"),
                     ("kit: 1\n", "kit: 1\nchecks:\n  ignore: [E203]\n"))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output
    plain = parse(out.read_bytes()).get_body(("plain",)).get_content()
    assert "stays undetermined until the talks are complete: not met; waived by the drafters" in plain
    assert "E203 a belligerent administers the buffer zone (waived by the drafters)" in plain


def test_a_final_text_carries_no_marking(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("status: for-consultation", "status: final"))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output
    plain = parse(out.read_bytes()).get_body(("plain",)).get_content()
    assert "Status:      final" in plain
    assert "Marking" not in plain and "DRAFT" not in plain and "marking above" not in plain


def test_a_title_on_several_lines_gives_a_one_line_subject(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("  title: A Three-Level Peace Process for Ukraine\n",
                                "  title: |\n    A Three-Level Peace Process\n    for Ukraine\n"))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output
    assert parse(out.read_bytes())["Subject"] == DEFAULT_SUBJECT


def test_a_template_problem_prints_diagnostics_and_writes_nothing(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "theme.yaml").write_text("page: [unclosed\n", encoding="utf-8")
    out = tmp_path / "brief.eml"
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "-o", out,
                 "--templates", templates)
    assert result.exit_code == 1, result.output
    assert "error R001" in result.output
    assert not out.exists()


def test_a_spec_without_the_brief_asks_for_attach_all(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("kit: 1\n", "kit: 1\ndocuments: [term-sheets]\n"))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 1
    assert "leaves out the brief" in result.stderr and "--attach all" in result.stderr
    assert not out.exists() and fake_render.calls == []


def test_large_attachments_warn_but_do_not_fail(tmp_path, monkeypatch):
    monkeypatch.setattr(api, "render_checked", FakeRender(size=11 * 1024 * 1024))
    result, out = draft(tmp_path)
    assert result.exit_code == 0, result.output
    assert "warning: the attachments total 11.0 MB" in result.stderr
    assert out.exists()


def test_reproducible_with_source_date_epoch(tmp_path, fake_render, monkeypatch):
    moment = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(moment.timestamp())))
    first, out = draft(tmp_path)
    data = out.read_bytes()
    second, _ = draft(tmp_path)
    assert first.exit_code == second.exit_code == 0
    message = parse(data)
    assert message["Date"].datetime == moment
    assert message["Message-ID"] == parse(out.read_bytes())["Message-ID"]


# --- refused before anything happens -----------------------------------------------------------

@pytest.mark.parametrize("option, value, says", [
    ("--subject", "Brief\r\nBcc: spy@example.com", "line break"),
    ("--subject", "Brief\nBcc: spy@example.com", "line break"),
    ("--to", "a@example.org\nBcc: spy@example.com", "line break"),
    ("--cc", "a@example.org\rBcc: spy@example.com", "line break"),
    ("--from", "desk@example.org\u2028Bcc: spy@example.com", "line break"),
    ("--subject", "Brief\x00", "control character U+0000"),
    ("--to", "jane", "'jane' has no @"),
    ("--to", "jane@", "has nothing after the @"),
    ("--to", "@example.org", "has nothing before the @"),
    ("--to", "jane doe@example.org", "contains a space"),
    ("--to", "jane@example..org", "is not a mail domain"),
    ("--to", "ja(ne@example.org", "not a mailbox name"),
    ("--to", "Jane <jane@example.org", "unbalanced angle brackets"),
    ("--to", "jane@-example.org", "is not a mail domain"),
    ("--to", "jane@localhost", "is not a mail domain"),
    ("--to", "олена@приклад.укр", "before the @"),
    ("--cc", "", "is empty"),
    ("--subject", "  ", "is empty"),
])
def test_bad_header_values_are_refused_before_anything_is_done(tmp_path, fake_render, option, value,
                                                               says):
    args = {"--to": "a@example.org", "--from": SENDER}
    args[option] = value
    out = tmp_path / "brief.eml"
    flat = [item for pair in args.items() for item in pair]
    result = run(EXAMPLE, *flat, "-o", out)
    assert result.exit_code == 2, result.output
    assert option in result.stderr and says in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists() and fake_render.calls == []


@pytest.mark.parametrize("value, name, address", [
    ("Petrenko, Olena <olena@example.org>", "Petrenko, Olena", "olena@example.org"),
    ('"Petrenko, Olena" <olena@example.org>', "Petrenko, Olena", "olena@example.org"),
    ("Реєстр, МЗС <registry@example.org>", "Реєстр, МЗС", "registry@example.org"),
    ("Група підтримки медіації <msu@example.org>", "Група підтримки медіації", "msu@example.org"),
])
def test_display_names_with_commas_or_other_scripts_are_accepted(tmp_path, fake_render, value, name,
                                                                 address):
    out = tmp_path / "brief.eml"
    result = run(EXAMPLE, "--to", value, "--cc", value, "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    message = parse(out.read_bytes())
    for header in ("To", "Cc"):
        (parsed,) = message[header].addresses
        assert parsed.addr_spec == address and parsed.display_name.split() == name.split()


@pytest.mark.parametrize("value", ["a@example.org, b@example.org", "a@example.org; b@example.org",
                                   "a@example.org b@example.org", "<a@example.org>, <b@example.org>",
                                   "A <a@example.org>, b@example.org"])
def test_several_addresses_in_one_value_say_how_to_give_several_recipients(tmp_path, fake_render,
                                                                          value):
    out = tmp_path / "brief.eml"
    result = run(EXAMPLE, "--to", value, "--from", SENDER, "-o", out)
    assert result.exit_code == 2
    assert "--to" in result.stderr and "holds several addresses" in result.stderr
    assert "--to a@example.org --to b@example.org" in result.stderr
    assert not out.exists() and fake_render.calls == []


def test_several_addresses_in_cc_say_to_repeat_cc(tmp_path, fake_render):
    result = run(EXAMPLE, "--to", "a@example.org", "--cc", "b@example.org, c@example.org",
                 "--from", SENDER, "-o", tmp_path / "brief.eml")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "kit mail: --cc: the copy recipient 'b@example.org, c@example.org' holds several addresses; "
        "give each recipient separately; repeat --cc for each, e.g. --cc a@example.org --cc b@example.org")


def test_attach_none_sends_the_summary_alone(tmp_path, fake_render):
    result, out = draft(tmp_path, "--attach", "none")
    assert result.exit_code == 0, result.output + result.stderr
    assert "no attachment" in result.output
    message = parse(out.read_bytes())
    assert list(message.iter_attachments()) == [] and fake_render.calls == []
    plain = message.get_body(("plain",)).get_content()
    assert "Essential 1" in plain and "Attached" not in plain and "the documents are not attached" in plain


def test_bcc_needs_sending_so_a_saved_file_never_names_them(tmp_path, fake_render):
    result, out = draft(tmp_path, "--bcc", "hidden@example.org")
    assert result.exit_code == 2
    assert "--bcc" in result.stderr and "only when the message is sent" in result.stderr
    assert "send it with --smtp, or add the blind copies in your mail client" in result.stderr
    assert not out.exists() and fake_render.calls == []


@pytest.mark.parametrize("extra, says", [
    ((), "-o FILE.eml writes a draft"),
    (("--smtp", "127.0.0.1:1", "--starttls", "--ssl"), "exclude each other"),
    (("-o", "x.eml", "--starttls"), "only when sending through a mail server"),
    (("-o", "x.eml", "--user", "desk"), "only when sending through a mail server"),
    (("--smtp", "127.0.0.1:1", "--user", "desk"), "add --starttls or --ssl"),
    (("--smtp", "127.0.0.1:99999"), "port must be a number"),
    (("--smtp", "mail host"), "not HOST[:PORT]"),
    (("-o", "x.eml", "--templates", "no-such-folder"), "--templates: no-such-folder: no such templates folder"),
])
def test_unusable_delivery_options_exit_2(tmp_path, fake_render, extra, says):
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, *extra)
    assert result.exit_code == 2, result.output
    assert says in result.stderr
    assert fake_render.calls == []


def test_an_invalid_spec_prints_diagnostics_and_writes_nothing(tmp_path, fake_render):
    spec = spec_with(tmp_path, ("    status: undetermined\n    held_by: russia\n    claimed_by: ukraine\n"
                                "    description:", "    status: annexed\n    held_by: russia\n"
                                "    claimed_by: ukraine\n    description:"))
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 1
    assert "error E201" in result.output
    assert not out.exists() and fake_render.calls == []


def test_a_long_display_name_decodes_exactly_by_rfc_2047():
    from email.header import decode_header, make_header

    name = "Міністерство закордонних справ України — Департамент миротворчості"
    (address,) = mail.parse_addresses([f'"{name}" <mfa@example.org>'], "sender")
    message = EmailMessage(policy=mail.SMTP_POLICY)
    message["From"] = mail.address_header("From", [address])
    raw = message.as_bytes().split(b"\r\n\r\n")[0].decode("ascii")
    assert raw.count("=?utf-8?") > 1 and all(len(line) <= 78 for line in raw.split("\r\n"))
    value = raw.split("From: ", 1)[1].replace("\r\n", "")
    assert str(make_header(decode_header(value))) == f"{name} <mfa@example.org>"


def test_unit_helpers():
    assert parse_server("[::1]:2525") == Server("::1", 2525, "none")
    assert parse_server("smtp.example.org", "ssl") == Server("smtp.example.org", 465, "ssl")
    assert parse_server("smtp.example.org", "starttls").port == 587
    assert mail.ascii_filename("Київ_v0.3_brief.pdf", "brief") == "Kyiv_v0.3_brief.pdf"
    assert mail.ascii_filename("Genève-Zürich.docx", "brief") == "Geneve-Zurich.docx"
    assert mail.ascii_filename("北京.pdf", "brief") == "brief.pdf"
    (idn,) = mail.parse_addresses(["Олена <olena@пошта.укр>"], "to")
    assert idn.addr_spec == "olena@xn--80a1acn3a.xn--j1amh" and idn.display_name == "Олена"
    header = mail.address_header("To", mail.parse_addresses(['"Doe, Jane" <jane@example.org>'], "to"))
    message = EmailMessage(policy=mail.SMTP_POLICY)
    message["To"] = header
    assert parse(message.as_bytes())["To"].addresses[0].display_name == "Doe, Jane"


# --- sending over SMTP ---------------------------------------------------------------------------

import aiosmtpd.controller as aiosmtpd_controller  # noqa: E402  (the sending tests only)


class Recorder:
    """An aiosmtpd handler that records every transaction and can refuse recipients."""

    def __init__(self, refuse=()):
        self.refuse = set(refuse)
        self.transactions = 0
        self.received: list[tuple[str, list[str], bytes]] = []

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.transactions += 1
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 no such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    started = []

    def start(recorder=None, **kwargs):
        recorder = recorder or Recorder()
        controller = aiosmtpd_controller.Controller(recorder, hostname="127.0.0.1", port=free_port(),
                                                    **kwargs)
        controller.start()
        started.append(controller)
        return recorder, controller.port

    yield start
    for controller in started:
        controller.stop()


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (cert file, key file)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                           serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def server_context(certificate) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


def check_login(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    accepted = (auth_data.login, auth_data.password) == (b"desk", b"s3cret pass")
    return AuthResult(success=accepted, handled=False)


def test_sent_message_arrives_intact(tmp_path, fake_render, smtp_server):
    recorder, port = smtp_server()
    result, out = draft(tmp_path, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 0, result.output + result.stderr
    assert "sent to olena@example.org, b@example.net, archive@example.org" in result.output
    assert recorder.transactions == 1
    ((sender, recipients, data),) = recorder.received
    assert sender == "desk@mfa.example.org"
    assert recipients == ["olena@example.org", "b@example.net", "archive@example.org"]
    # The file saved is the sent copy, byte for byte: no draft marker for a client to send it again.
    assert data == out.read_bytes()
    assert b"X-Unsent" not in data
    assert "wrote" in result.output and "the sent copy" in result.output
    assert "unsent draft" not in result.output
    message = parse(data)
    assert message["Subject"] == DEFAULT_SUBJECT
    (pdf,) = message.iter_attachments()
    assert pdf.get_content() == FAKE_PDF


def test_bcc_is_in_the_envelope_and_in_no_header(tmp_path, fake_render, smtp_server):
    recorder, port = smtp_server()
    result, out = draft(tmp_path, "--smtp", f"127.0.0.1:{port}", "--bcc", "Hidden <hidden@example.org>")
    assert result.exit_code == 0, result.output + result.stderr
    ((_, recipients, data),) = recorder.received
    assert recipients == ["olena@example.org", "b@example.net", "archive@example.org",
                          "hidden@example.org"]
    for raw in (data, out.read_bytes()):
        assert b"hidden" not in raw.lower() and b"bcc" not in raw.lower()
    assert "in blind copy, hidden@example.org" in result.output


def test_a_failed_send_saves_an_unsent_draft_and_says_nothing_was_sent(tmp_path, fake_render):
    port = free_port()  # nothing listens there
    result, out = draft(tmp_path, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "connection refused" in result.stderr and "Nothing was sent" in result.stderr
    assert "an unsent draft" in result.output and "nothing was sent" in result.output
    assert parse(out.read_bytes())["X-Unsent"] == "1"


def test_a_server_requiring_starttls_points_at_starttls(tmp_path, fake_render, smtp_server, certificate):
    recorder, port = smtp_server(tls_context=server_context(certificate), require_starttls=True)
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "530" in result.stderr and "add --starttls" in result.stderr
    assert ("takes mail only over a connection encrypted with STARTTLS (530 Must issue a STARTTLS "
            "command first); add --starttls (usually with port 587). Nothing was sent") in result.stderr
    assert "Nothing was sent" in result.stderr
    assert "send from" not in result.stderr  # not a refused sender
    assert recorder.received == []


def test_starttls_with_login(tmp_path, fake_render, smtp_server, certificate, monkeypatch):
    recorder, port = smtp_server(tls_context=server_context(certificate), require_starttls=True,
                                 authenticator=check_login, auth_required=True, auth_require_tls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    subject = "Мирний процес — бриф"
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--subject", subject,
                 "--smtp", f"127.0.0.1:{port}", "--starttls", "--user", "desk",
                 env={"KIT_SMTP_PASSWORD": "s3cret pass"})
    assert result.exit_code == 0, result.output + result.stderr
    ((_, recipients, data),) = recorder.received
    assert recipients == ["a@example.org"]
    assert parse(data)["Subject"] == subject


def test_password_from_the_hidden_prompt(tmp_path, fake_render, smtp_server, certificate, monkeypatch):
    recorder, port = smtp_server(tls_context=server_context(certificate), require_starttls=True,
                                 authenticator=check_login, auth_required=True, auth_require_tls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    monkeypatch.setattr(cli_mail, "_can_prompt", lambda: True)  # the runner's stdin is no terminal
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}",
                 "--starttls", "--user", "desk", input="s3cret pass\n")
    assert result.exit_code == 0, result.output + result.stderr
    assert "Password for desk" in result.output and "s3cret pass" not in result.output
    assert len(recorder.received) == 1


def test_no_password_and_no_terminal(fake_render):
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", "127.0.0.1:1",
                 "--starttls", "--user", "desk")
    assert result.exit_code == 2
    assert "no password: set KIT_SMTP_PASSWORD" in result.stderr
    assert fake_render.calls == []


def test_wrong_password_is_a_clear_error(tmp_path, fake_render, smtp_server, certificate, monkeypatch):
    recorder, port = smtp_server(tls_context=server_context(certificate), require_starttls=True,
                                 authenticator=check_login, auth_required=True, auth_require_tls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}",
                 "--starttls", "--user", "desk", env={"KIT_SMTP_PASSWORD": "wrong"})
    assert result.exit_code == 1
    assert "refused the login for 'desk'" in result.stderr and "Nothing was sent" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert recorder.received == [] and recorder.transactions == 0


def test_untrusted_certificate_is_a_tls_failure(tmp_path, fake_render, smtp_server, certificate,
                                                monkeypatch):
    recorder, port = smtp_server(tls_context=server_context(certificate), require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "no-such-bundle.pem"))
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}",
                 "--starttls")
    assert result.exit_code == 1
    assert "TLS failed: the certificate of 127.0.0.1 cannot be trusted" in result.stderr
    assert recorder.received == []


def test_implicit_tls(tmp_path, fake_render, smtp_server, certificate, monkeypatch):
    recorder, port = smtp_server(ssl_context=server_context(certificate))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}",
                 "--ssl")
    assert result.exit_code == 0, result.output + result.stderr
    assert len(recorder.received) == 1


def test_implicit_tls_on_a_plain_port_points_at_starttls(fake_render, smtp_server):
    recorder, port = smtp_server()
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}",
                 "--ssl")
    assert result.exit_code == 1
    assert f"TLS failed with 127.0.0.1:{port}" in result.stderr
    assert "add --starttls (usually with port 587). Nothing was sent" in result.stderr
    assert recorder.received == []


def test_every_recipient_refused(tmp_path, fake_render, smtp_server):
    recorder, port = smtp_server(Recorder(refuse={"a@example.org"}))
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert ("refused every recipient: a@example.org (550 5.1.1 no such mailbox here). "
            "Nothing was sent") in result.stderr
    assert recorder.transactions == 1 and recorder.received == []


def test_partial_refusal_is_reported_and_never_resent(tmp_path, fake_render, smtp_server):
    recorder, port = smtp_server(Recorder(refuse={"gone@example.org"}))
    result = run(EXAMPLE, "--to", "a@example.org", "--cc", "gone@example.org", "--from", SENDER,
                 "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert "sent to a@example.org, but the server" in result.stderr
    assert "refused gone@example.org (550" in result.stderr
    assert recorder.transactions == 1
    assert [r[1] for r in recorder.received] == [["a@example.org"]]


def test_connection_refused(fake_render):
    port = free_port()  # nothing listens there
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 1
    assert f"cannot connect to 127.0.0.1:{port}: connection refused" in result.stderr


def test_silent_server_times_out(fake_render):
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)  # accepts the connection in the kernel, never says hello
        port = silent.getsockname()[1]
        result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER,
                     "--smtp", f"127.0.0.1:{port}", "--timeout", "1")
    assert result.exit_code == 1
    assert f"127.0.0.1:{port} did not finish within 1 second. Nothing was sent" in result.stderr


# --- end to end --------------------------------------------------------------------------------

def test_real_render_end_to_end(tmp_path, smtp_server):
    checked = api.check_file(EXAMPLE)
    rendered = api.render_checked(checked, formats=("pdf",), only=("brief",)).files
    (brief,) = [f for f in rendered if f.document == "brief" and f.format == "pdf"]
    recorder, port = smtp_server()
    out = tmp_path / "brief.eml"
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "-o", out,
                 "--smtp", f"127.0.0.1:{port}")
    assert result.exit_code == 0, result.output + result.stderr
    for data in (out.read_bytes(), recorder.received[0][2]):
        (part,) = parse(data).iter_attachments()
        assert part.get_filename() == brief.filename
        assert part.get_content_type() == "application/pdf"
        assert part.get_content() == brief.data  # the pipeline is deterministic


def test_the_email_and_the_brief_give_the_same_verdicts(tmp_path):
    """Both read the one assessment. A waived advice point was 'waived' in the brief but
    '1 point not followed' in the email, which counted it again by itself."""
    from pypdf import PdfReader
    import io

    spec = spec_with(tmp_path, ("    verification: UN mission logs every call and reports monthly.\n", ""),
                     ("kit: 1\n", "kit: 1\nchecks:\n  ignore: [W106]\n"))
    checked = api.check_file(spec)
    assert checked.ok and checked.assessment.verdict("advice").status == "waived"
    out = tmp_path / "brief.eml"
    result = run(spec, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output + result.stderr
    message = parse(out.read_bytes())
    plain = message.get_body(("plain",)).get_content()
    (attachment,) = message.iter_attachments()
    brief = " ".join(" ".join(page.extract_text() or "" for page in
                              PdfReader(io.BytesIO(attachment.get_content())).pages).split())
    # The brief: advice waived, essentials met.
    assert "Waived by the drafters" in brief and "Waived: W106" in brief
    assert brief.count("Met") >= 2 and "Points open" not in brief
    # The email: the same verdicts, in its words.
    assert "further advice: not followed; waived by the drafters" in " ".join(plain.split())
    assert "W106 a confidence-building measure names no verification (waived by the drafters)" in plain
    assert "point not followed" not in plain and "(open)" not in plain
    assert [line.split(": ")[-1] for line in plain.splitlines() if line.startswith("- Essential")] == [
        "met", "met"]


def test_the_library_call_names_the_problem_not_the_command_line(tmp_path, fake_render):
    cases = [dict(to=["a@example.org, b@example.org"], output=tmp_path / "x.eml"),
             dict(to=["jane"], output=tmp_path / "x.eml"),
             dict(to=["a@example.org"], bcc=["c@example.org"], output=tmp_path / "x.eml"),
             dict(to=["a@example.org"], server="127.0.0.1:1", user="desk"),
             dict(to=["a@example.org"])]
    for case in cases:
        result = api.mail_brief(EXAMPLE, sender=SENDER, **case)
        assert result.exit_code == 2 and result.error is not None and result.delivery is None
        assert "--" not in str(result.error) and "-o " not in str(result.error), result.error
        assert result.error.field in ("to", "bcc", "user", "output")
    assert fake_render.calls == [] and not (tmp_path / "x.eml").exists()


def test_the_library_call_returns_what_it_did(tmp_path, fake_render):
    result = api.mail_brief(EXAMPLE, sender=SENDER, to=["a@example.org"], attach="none",
                            output=tmp_path / "x.eml")
    assert result.ok and result.exit_code == 0 and result.files == []
    assert result.delivery.saved == tmp_path / "x.eml" and not result.delivery.saved_as_sent
    assert result.delivery.message["To"] == "a@example.org"
    assert parse((tmp_path / "x.eml").read_bytes())["X-Unsent"] == "1"


@pytest.mark.parametrize("inside", [False, True], ids=["pointing-outside", "pointing-inside"])
def test_a_symlink_planted_as_the_draft_is_replaced_not_followed(tmp_path, fake_render, inside):
    folder = tmp_path / "drafts"
    folder.mkdir()
    precious = (folder if inside else tmp_path) / "notes.txt"
    precious.write_text("keep me")
    out = folder / "brief.eml"
    out.symlink_to(precious)
    result = run(EXAMPLE, "--to", "a@example.org", "--from", SENDER, "-o", out)
    assert result.exit_code == 0, result.output
    assert precious.read_text() == "keep me"
    assert not out.is_symlink() and parse(out.read_bytes())["To"] == "a@example.org"
    assert "notes.txt" not in result.output
