"""``tribune poll`` and ``tribune items`` through the real command line, over loopback HTTP."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tribune.cli import app
from tribune.config import get_settings
from tribune.db.engine import Database
from tribune.replay import ReplayServer

FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "items": [
        {
            "id": "1",
            "url": "{{site}}/s/1",
            "title": "The KKE on the general strike",
            "content_html": "<p>The Communist Party of Greece salutes the general strike.</p>",
            "date_published": "2024-05-01T10:00:00+03:00",
        }
    ],
}


@pytest.fixture
def site(tmp_path: Path) -> Iterator[ReplayServer]:
    (tmp_path / "kke").mkdir()
    (tmp_path / "kke" / "feed.json").write_text(json.dumps(FEED), encoding="utf-8")
    with ReplayServer(tmp_path) as server:
        yield server


@pytest.fixture
def runner(db: Database, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("TRIBUNE_DATABASE_URL", db.url)
    monkeypatch.setenv("TRIBUNE_ALLOW_PRIVATE_NETWORKS", "1")
    get_settings.cache_clear()
    return CliRunner()


def test_poll_then_list_and_show(runner: CliRunner, site: ReplayServer) -> None:
    url = site.url("kke", "/feed.json")
    assert (
        runner.invoke(app, ["sources", "add", url, "--org", "gr-kke", "--kind", "feed"]).exit_code
        == 0
    )
    polled = runner.invoke(app, ["poll", "--all"])
    assert polled.exit_code == 0, polled.output
    assert "1 new" in polled.stdout
    listed = runner.invoke(app, ["items", "--json"])
    (item,) = [json.loads(line) for line in listed.stdout.splitlines()]
    assert set(item) == {
        "id", "url", "canonical_url", "title", "language", "published_at", "status", "kind",
        "duplicate_of", "revision_count", "org_ids", "source_id",
    }  # fmt: skip
    assert item["title"] == "The KKE on the general strike"
    assert item["org_ids"] == ["gr-kke"]
    assert item["revision_count"] == 1
    assert runner.invoke(app, ["items", "--org", "tr-tkp", "--json"]).stdout == ""
    shown = runner.invoke(app, ["items", "show", item["id"], "--json"])
    whole = json.loads(shown.stdout)
    assert [m["id"] for m in whole["mentions"] if m["type"] == "org"] == ["gr-kke", "gr-kke"]
    assert len(whole["revisions"]) == 1
    again = runner.invoke(app, ["poll", "--all"])
    assert "not-modified" in again.stdout
    missing = runner.invoke(app, ["items", "show", "nope"])
    assert missing.exit_code == 1
    assert "no item with id nope" in missing.stderr


def test_a_failing_source_is_reported(runner: CliRunner, site: ReplayServer) -> None:
    url = site.url("kke", "/missing.xml")
    runner.invoke(app, ["sources", "add", url, "--org", "gr-kke", "--kind", "feed"])
    polled = runner.invoke(app, ["poll", "--all"])
    assert polled.exit_code == 1
    assert "404" in polled.stdout
    listed = json.loads(runner.invoke(app, ["sources", "list", "--json"]).stdout)
    assert listed["error_count"] == 1


def test_sources_test_is_a_dry_run(runner: CliRunner, site: ReplayServer, tmp_path: Path) -> None:
    url = site.url("kke", "/feed.json")
    tried = runner.invoke(app, ["sources", "test", url, "--json"])
    assert tried.exit_code == 0, tried.output
    report = json.loads(tried.stdout)
    assert report["kind"] == "feed"
    assert report["detail"] == "the URL is a feed; json feed with 1 entries"
    (entry,) = report["entries"]
    assert entry["why"] == "full text in the feed"
    assert json.loads(runner.invoke(app, ["items", "--json"]).stdout or "null") is None
    missing = runner.invoke(app, ["sources", "test", site.url("kke", "/nothing")])
    assert missing.exit_code == 1
    assert "404" in missing.stdout
    refused = runner.invoke(app, ["sources", "test", "http://169.254.169.254/latest/"])
    assert refused.exit_code == 1
    assert "169.254.169.254" in refused.stdout


def test_sources_test_finds_announced_feeds_and_listings(runner: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "pcp").mkdir()
    (tmp_path / "pcp" / "index.html").write_text(
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        "</head><body><p>PCP</p></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "pcp" / "rss.xml").write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>PCP</title><item>'
        "<title>Greetings</title><link>{{site}}/a/1</link></item></channel></rss>",
        encoding="utf-8",
    )
    links = "".join(
        f'<li><a href="/noticias/2026/{n}-nota-do-partido">Nota do partido número {n}</a></li>'
        for n in range(1, 5)
    )
    (tmp_path / "pcp" / "lista.html").write_text(
        f"<html><body><nav><a href='/'>Início</a></nav><ul>{links}</ul></body></html>",
        encoding="utf-8",
    )
    with ReplayServer(tmp_path) as server:
        tried = runner.invoke(app, ["sources", "test", server.url("pcp", "/"), "--json"])
        report = json.loads(tried.stdout)
        assert report["kind"] == "feed"
        assert report["feeds"] == [server.url("pcp", "/rss.xml")]
        assert "announced by the page" in report["detail"]
        assert report["entries"][0]["url"] == server.url("pcp", "/a/1")
        listing = server.url("pcp", "/lista.html")
        tried = runner.invoke(app, ["sources", "test", listing, "--kind", "page", "--json"])
        report = json.loads(tried.stdout)
        assert report["kind"] == "page"
        assert len(report["entries"]) == 4
        assert report["entries"][0]["title"] == "Nota do partido número 1"
        assert report["entries"][0]["why"] == "the page would be fetched and extracted"


def test_poll_progress_goes_to_stderr(runner: CliRunner, site: ReplayServer) -> None:
    url = site.url("kke", "/feed.json")
    runner.invoke(app, ["sources", "add", url, "--org", "gr-kke", "--kind", "feed"])
    polled = runner.invoke(app, ["poll", "--all", "--progress"])
    assert polled.exit_code == 0, polled.output
    assert "1/1 sources: 1 new, 0 failed" in polled.stderr
    assert polled.stdout == f"ok            {url}  1 new\n"  # the usual lines, nothing else
    quiet = runner.invoke(app, ["poll", "--all", "--no-progress"])
    assert quiet.stderr == ""
    assert quiet.stdout == f"not-modified  {url}  no entries\n"
    auto = runner.invoke(app, ["poll", "--all"])  # stdout is not a terminal: no bar
    assert auto.stderr == ""


def test_poll_json_with_progress(runner: CliRunner, site: ReplayServer) -> None:
    url = site.url("kke", "/feed.json")
    runner.invoke(app, ["sources", "add", url, "--org", "gr-kke", "--kind", "feed"])
    missing = site.url("kke", "/missing.json")
    runner.invoke(app, ["sources", "add", missing, "--org", "gr-kke", "--kind", "feed"])
    polled = runner.invoke(app, ["poll", "--all", "--progress", "--json"])
    assert polled.exit_code == 1  # one source failed
    assert "2/2 sources: 1 new, 1 failed" in polled.stderr
    reports = {r["url"]: r for r in map(json.loads, polled.stdout.splitlines())}
    assert set(reports) == {url, missing}
    assert set(reports[url]) == {"source_id", "url", "outcome", "error", "counts"}
    assert (reports[url]["outcome"], reports[url]["counts"]) == ("ok", {"new": 1})
    assert reports[missing]["outcome"] == "error"
    assert "404" in reports[missing]["error"]
    assert runner.invoke(app, ["poll", "--json"]).stdout == ""  # nothing due: no lines at all
