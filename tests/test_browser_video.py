"""The lesson video in a real Chromium: the player loads on request, and bullet times seek it.

YouTube is out of reach here, so the player's address is answered by a stand-in page that
reports every command it is sent: the test checks what the lesson page tells the player.
"""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

LESSON = "/lessons/01-deep-learning/"
FAKE_PLAYER = """<!doctype html><title>player</title><script>
window.addEventListener("message", function (e) { parent.postMessage({ fromPlayer: e.data }, "*"); });
</script>"""


def test_bullet_time_seeks_the_open_player(page, seed_url: str) -> None:
    requested: list[str] = []

    def player(route) -> None:
        requested.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=FAKE_PLAYER)

    page.route("https://www.youtube-nocookie.com/**", player)
    page.goto(seed_url + LESSON)
    page.evaluate(
        "window.__commands = []; addEventListener('message', e => e.data.fromPlayer && __commands.push(e.data.fromPlayer))"
    )
    assert page.locator("iframe").count() == 0  # nothing loads until asked for

    # With no player open, a time is a plain link to that moment of the video.
    link = page.locator("a.sg-time[data-sg-time='2292']")
    assert link.get_attribute("href") == "https://www.youtube.com/watch?v=8SF_h3xF3cE&t=2292s"

    page.get_by_role("button", name="Play the lesson video here").click()
    frame = page.locator("iframe.sg-video__player")
    frame.wait_for()
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/8SF_h3xF3cE?enablejsapi=1")
    frame.element_handle().content_frame().wait_for_load_state()  # the stand-in player listens now

    link.click()
    page.wait_for_function("window.__commands.length >= 2")
    commands = [json.loads(c) for c in page.evaluate("window.__commands")]
    assert {"event": "command", "func": "seekTo", "args": [2292, True]} in commands
    assert page.url.split("#")[0] == seed_url + LESSON  # the page stayed (Material tracks the section in the hash)
    assert requested and all("youtube-nocookie.com/embed/" in url for url in requested)
