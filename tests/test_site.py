"""The participants' companion site (`trainer site`, the `site` kind of `build`).

First what the files hold (no browser): every handout as a page, relative links only, links
to the internet marked, the course's language and direction, the form links of course.yaml.
Then, in headless Chromium through Selenium (tests/browser.py), the site opened from disk as
a participant would: every link followed, no request to the network, a search for a word of
a handout, the day of the course first, no sideways scrolling on a phone, and screenshots at
phone and desktop widths (kept in $TRAINER_SCREENSHOTS when it is set, to look at).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from trainer.build import build
from trainer.errors import InputError

ROOTS = Path(__file__).parent / "roots"
SITE_KINDS = "handouts,forms,site"


@pytest.fixture(autouse=True)
def _built_in_library(monkeypatch):
    monkeypatch.delenv("TRAINER_LIBRARY", raising=False)


def _sample_course(folder: Path) -> Path:
    """The guide's sample course, as `trainer init` makes it."""
    from trainer.init import init_course

    init_course(folder, False)
    return folder


@pytest.fixture(scope="module")
def sample_site(tmp_path_factory) -> Path:
    folder = _sample_course(tmp_path_factory.mktemp("sample") / "course")
    build(folder, only=SITE_KINDS, workers=1)
    return folder / "build"


@pytest.fixture(scope="module")
def arabic_site(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("arabic") / "course"
    shutil.copytree(ROOTS / "course-arabic", folder)
    build(folder, only=SITE_KINDS, workers=1)
    return folder / "build"


class _Page(HTMLParser):
    """The links, sources and text of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.sources: list[str] = []
        self.html_attrs: dict[str, str] = {}
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_attrs = values
        if tag == "a" and "href" in values:
            self.links.append(values)
        for name in ("src",):
            if name in values:
                self.sources.append(values[name])
        if tag == "link" and "href" in values:
            self.sources.append(values["href"])

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


# ---------------------------------------------------------------------------- the files


def test_every_participant_handout_is_a_page_with_its_pdf(sample_site):
    site = sample_site / "site"
    listing = _parse(site / "handouts.html")
    pages = [link["href"] for link in listing.links if link["href"].startswith("handout-")]
    pdfs = [link["href"] for link in listing.links if link["href"].endswith(".pdf")]
    assert len(pages) >= 10 and len(pdfs) == len(pages) + 1  # + the agenda's PDF
    for pdf in pdfs:
        assert (site / pdf).resolve().is_file(), pdf
    liberto = (site / "handout-liberto-country-brief.html").read_text(encoding="utf-8")
    assert "Liberto" in liberto and "../handouts/liberto-country-brief.pdf" in liberto


def test_links_are_relative_and_the_web_is_marked(sample_site):
    site = sample_site / "site"
    external = 0
    for path in sorted(site.glob("*.html")):
        page = _parse(path)
        for source in page.sources:
            assert not re.match(r"^[a-z]+:|^/", source), (path.name, source)  # nothing fetched from anywhere
        for link in page.links:
            href = link["href"]
            if href.startswith(("http://", "https://")):
                external += 1
                assert "external" in link.get("class", ""), (path.name, href)
            else:
                assert not re.match(r"^[a-z]+:|^/", href), (path.name, href)
    assert external > 10
    links = (site / "links.html").read_text(encoding="utf-8")
    assert links.count("(needs internet)") == links.count('class="external"')


def test_the_key_messages_of_every_session(sample_site):
    text = " ".join(_parse(sample_site / "site" / "messages.html").text)
    for number in range(1, 8):
        assert f"Session {number}" in text
    assert "The course is participatory." in text


def test_the_arabic_site_is_right_to_left_with_arabic_fixed_words(arabic_site):
    site = arabic_site / "site"
    page = _parse(site / "index.html")
    assert page.html_attrs == {"lang": "ar", "dir": "rtl"}
    text = " ".join(page.text)
    assert "جدول الأعمال" in text and "ابحث في هذا الموقع" in (site / "index.html").read_text(encoding="utf-8")
    days = re.findall(r'data-date="([0-9-]+)"', (site / "index.html").read_text(encoding="utf-8"))
    assert days == ["2027-05-10", "2027-05-11", "2027-05-12"]


def test_form_links_from_course_yaml(arabic_site):
    forms = (arabic_site / "site" / "forms.html").read_text(encoding="utf-8")
    assert "https://ee.kobotoolbox.org/x/AbCdEf12" in forms and "https://ee.kobotoolbox.org/x/GhIjKl34" in forms
    # day 2's link is its own; days 1 and 3 have none
    day = {stem: block for stem, block in re.findall(r'<li id="([a-z0-9-]+)">(.*?)</li>', forms, flags=re.S)}
    assert "GhIjKl34" in day["end-of-day-day-2"] and "kobotoolbox" not in day["end-of-day-day-1"]
    assert "AbCdEf12" in day["end-of-course"]
    assert "يحتاج إلى الإنترنت" in day["end-of-course"]


def test_an_unknown_form_in_form_links_is_an_error_at_its_line(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(ROOTS / "course-arabic", folder)
    text = (folder / "course.yaml").read_text(encoding="utf-8").replace("end-of-course:", "end-of-curse:")
    (folder / "course.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build(folder, only="site", workers=1)
    problem = caught.value.problems[0]
    assert problem.file == folder / "course.yaml" and problem.line == 13
    assert "no form 'end-of-curse'" in problem.message and "end-of-course" in problem.message
    assert not (folder / "build").exists()


def test_a_form_link_must_be_a_web_address(cli, tmp_path, monkeypatch):
    folder = tmp_path / "c"
    shutil.copytree(ROOTS / "course-arabic", folder)
    text = (folder / "course.yaml").read_text(encoding="utf-8").replace("https://ee.kobotoolbox.org/x/AbCdEf12", "javascript:alert(1)")
    (folder / "course.yaml").write_text(text, encoding="utf-8")
    code, _, err = cli("site", folder)
    assert code == 1
    assert "course.yaml:13" in err and "expected a web address" in err


def test_the_search_index_holds_the_handouts_words(sample_site):
    script = (sample_site / "site" / "search-index.js").read_text(encoding="utf-8")
    assert script.startswith("window.SITE_INDEX = ")
    index = json.loads(script.removeprefix("window.SITE_INDEX = ").rstrip().rstrip(";"))
    liberto = next(entry for entry in index if entry["url"] == "handout-liberto-country-brief.html")
    assert "Liberto" in liberto["text"]


def test_a_handout_image_is_copied_and_a_web_image_becomes_a_link(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(ROOTS / "course-arabic", folder)
    (folder / "local" / "handouts").mkdir(parents=True)
    (folder / "local" / "map.png").write_bytes(
        bytes.fromhex("89504e470d0a1a0a0000000d4948445200000001000000010806000000"
                      "1f15c4890000000d49444154789c6360f8cfc0000003010100c9fe92ef0000000049454e44ae426082"))
    source = (ROOTS.parent.parent / "handouts" / "useful-links.yaml").read_text(encoding="utf-8")
    source = source.replace("body: |\n", "body: |\n  ![A map](local/map.png) ![Tracker](https://example.org/pixel.png)\n\n", 1)
    (folder / "local" / "handouts" / "useful-links.yaml").write_text(source, encoding="utf-8")
    build(folder, only="site", workers=1)
    page = (folder / "build" / "site" / "handout-useful-links.html").read_text(encoding="utf-8")
    images = re.findall(r'<img src="([^"]+)"', page)
    assert len(images) == 1 and images[0].startswith("images/") and (folder / "build" / "site" / images[0]).is_file()
    assert "<img src=\"https://example.org" not in page
    assert re.search(r'<a href="https://example.org/pixel.png"[^>]*class="external"', page)


def test_site_command_and_build_kind(cli, tmp_path):
    folder = _sample_course(tmp_path / "c")
    code, out, err = cli("site", folder)
    assert code == 0, err
    assert "site/index.html" in out and (folder / "build" / "site" / "index.html").is_file()
    manifest = json.loads((folder / "build" / "manifest.json").read_text())
    assert any(entry["job"] == "site:site" for entry in manifest["files"])
    code, out, _ = cli("build", folder, "--only", "site")
    assert code == 0 and "nothing changed" in out


# ---------------------------------------------------------------------------- in a browser


@pytest.fixture(scope="module")
def browser():
    from browser import Browser, unavailable

    reason = unavailable()
    if reason:
        pytest.skip(reason)
    with Browser() as chromium:
        yield chromium


def _shots() -> Path | None:
    import os

    folder = os.environ.get("TRAINER_SCREENSHOTS")
    if not folder:
        return None
    Path(folder).mkdir(parents=True, exist_ok=True)
    return Path(folder)


@pytest.mark.parametrize("which", ["sample", "arabic"])
def test_every_link_stays_on_the_site_and_nothing_goes_to_the_network(which, browser, sample_site, arabic_site):
    out = sample_site if which == "sample" else arabic_site
    site = (out / "site").resolve()
    root = out.resolve()
    browser.clear_log()
    seen: set[str] = set()
    pending = [(site / "index.html").as_uri()]
    files: set[Path] = set()
    while pending:
        url = pending.pop()
        if url in seen:
            continue
        seen.add(url)
        browser.open(url)
        for link in browser.links():
            parsed = urlparse(link["href"])
            if parsed.scheme in ("http", "https"):
                assert "external" in link["class"].split(), (url, link)
                assert link["marked"], (url, link)  # "(needs internet)" follows it
                continue
            assert parsed.scheme == "file", (url, link)
            target = Path(unquote(parsed.path))
            assert target.is_relative_to(root), (url, link)  # never out of the build folder
            assert target.is_file(), (url, link)
            files.add(target)
            if target.suffix == ".html":
                pending.append(target.as_uri())
    assert len([f for f in files if f.suffix == ".pdf"]) > 15
    assert len([f for f in files if f.suffix == ".html"]) >= 20
    requests = browser.requests()
    assert requests, "the performance log recorded no request"
    leaving = [r for r in requests if not r.startswith(("file://", "data:"))]
    assert leaving == []


@pytest.mark.parametrize("which,word,page", [
    ("sample", "Liberto", "handout-liberto-country-brief.html"),
    ("arabic", "Haddad", "handout-trainer-bios.html"),
])
def test_search_finds_a_word_of_a_handout(which, word, page, browser, sample_site, arabic_site):
    out = sample_site if which == "sample" else arabic_site
    browser.open((out / "site" / "links.html").resolve().as_uri())
    browser.search(word)
    results = browser.results()
    assert results and any(result["href"].endswith(page) for result in results), results
    assert any(word in result["text"] for result in results)
    browser.open(next(r["href"] for r in results if r["href"].endswith(page)))
    assert word in browser.text()


def test_search_ignores_accents_and_case(browser, sample_site):
    browser.open((sample_site / "site" / "search.html").resolve().as_uri() + "?q=LIBERTÓ")
    assert any(r["href"].endswith("handout-liberto-country-brief.html") for r in browser.results())
    browser.open((sample_site / "site" / "search.html").resolve().as_uri() + "?q=xylophonequartz")
    assert browser.results() == [] and "No page holds all of these words." in browser.text()


def test_the_day_of_the_course_comes_first(browser, arabic_site):
    index = (arabic_site / "site" / "index.html").resolve().as_uri()
    browser.open(index, today="2027-05-11")
    assert browser.day_order() == ["2", "1", "3"]
    assert browser.visible_badges() == ["2"]
    browser.open(index, today="2027-06-30")  # after the course: in order
    assert browser.day_order() == ["1", "2", "3"] and browser.visible_badges() == []
    browser.open(index + "?day=3", today="2027-05-11")  # a day asked for in the address
    assert browser.day_order()[0] == "3"


@pytest.mark.parametrize("which", ["sample", "arabic"])
def test_phone_and_desktop_screenshots_without_sideways_scrolling(which, browser, sample_site, arabic_site, tmp_path):
    out = sample_site if which == "sample" else arabic_site
    site = (out / "site").resolve()
    shots = _shots() or tmp_path
    pages = {"index": "index.html", "handout": "handout-liberto-country-brief.html",
             "search": "search.html?q=rights", "forms": "forms.html"}
    for width, height, label in ((390, 844, "phone"), (1366, 900, "desktop")):
        browser.size(width, height)
        for name, page in pages.items():
            browser.open(site.as_uri() + "/" + page, today="2027-05-11")
            assert browser.content_width() <= browser.screen_width() + 0.5, (name, label)  # no sideways scrolling
            png = shots / f"{which}-{name}-{label}.png"
            browser.screenshot(png)
            assert png.stat().st_size > 5000
    browser.size(1366, 900)
    rtl = browser.nav_positions()
    if which == "arabic":
        assert rtl[0] > rtl[-1]  # the first menu item stands on the right
    else:
        assert rtl[0] < rtl[-1]


def test_the_agenda_prints_without_the_menu(browser, sample_site, tmp_path):
    browser.open((sample_site / "site" / "index.html").resolve().as_uri())
    pdf = tmp_path / "agenda.pdf"
    pdf.write_bytes(browser.print_pdf())
    shots = _shots()
    if shots is not None:
        shutil.copy(pdf, shots / "sample-index-print.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Day 1" in text and "Lunch break" in text
    assert "Search this site" not in text and "Key messages" not in text


def test_large_print_courses_link_to_their_large_print_pdfs(tmp_path):
    folder = tmp_path / "c"
    shutil.copytree(ROOTS / "course-arabic", folder)
    with (folder / "course.yaml").open("a", encoding="utf-8") as handle:
        handle.write("large_print: true\n")
    build(folder, only=SITE_KINDS, workers=1)
    site = folder / "build" / "site"
    for page in ("index.html", "handouts.html", "handout-liberto-country-brief.html"):
        pdfs = [link["href"] for link in _parse(site / page).links if link["href"].endswith(".pdf")]
        assert pdfs and all("-large-print.pdf" in pdf and (site / pdf).resolve().is_file() for pdf in pdfs), (page, pdfs)
