"""Recognise YouTube and Vimeo URLs without asking the network.

Wagtail's EmbedBlock validates a URL by fetching its oEmbed data, so an article could not be
saved (or rendered, on a cold embed cache) without network access, and the player would load
the provider's cookies and script on page view. We only need the video's id to build a
privacy-enhanced player URL that loads on click, so the parsing is ours.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode, urlsplit

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com", "www.youtube-nocookie.com"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


class UnsupportedVideoURL(ValueError):
    pass


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    video_id: str
    start: int = 0

    @property
    def watch_url(self) -> str:
        if self.provider == "youtube":
            suffix = f"&t={self.start}s" if self.start else ""
            return f"https://www.youtube.com/watch?v={self.video_id}{suffix}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def embed_url(self) -> str:
        """The player's address as schema.org's embedUrl (no autoplay)."""
        if self.provider == "youtube":
            suffix = f"?start={self.start}" if self.start else ""
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}{suffix}"
        return f"https://player.vimeo.com/video/{self.video_id}?dnt=1"

    @property
    def player_url(self) -> str:
        """The privacy-enhanced player, loaded only when the visitor clicks play."""
        if self.provider == "youtube":
            params = {"autoplay": 1, "rel": 0, "modestbranding": 1}
            if self.start:
                params["start"] = self.start
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?{urlencode(params)}"
        return f"https://player.vimeo.com/video/{self.video_id}?autoplay=1&dnt=1"


def _seconds(value: str) -> int:
    value = value.strip().lower().rstrip("s")
    if value.isdigit():
        return int(value)
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+))?", value)
    if not match:
        return 0
    hours, minutes, seconds = (int(part or 0) for part in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def parse_video_url(url: str) -> Video:
    """Return the Video a YouTube or Vimeo URL points at, or raise UnsupportedVideoURL."""
    parts = urlsplit((url or "").strip())
    host = (parts.hostname or "").lower()
    path_bits = [bit for bit in parts.path.split("/") if bit]
    query = parse_qs(parts.query)
    start = _seconds((query.get("t") or query.get("start") or ["0"])[0])

    if parts.scheme not in {"http", "https"}:
        raise UnsupportedVideoURL("Paste a full web address starting with https://")

    video_id = None
    if host in _YOUTUBE_HOSTS:
        if path_bits[:1] == ["watch"]:
            video_id = (query.get("v") or [""])[0]
        elif len(path_bits) >= 2 and path_bits[0] in {"embed", "shorts", "live", "v"}:
            video_id = path_bits[1]
    elif host == "youtu.be" and path_bits:
        video_id = path_bits[0]
    if video_id is not None:
        if not _YOUTUBE_ID.match(video_id):
            raise UnsupportedVideoURL("This YouTube address has no valid video id.")
        return Video("youtube", video_id, start)

    if host in _VIMEO_HOSTS:
        digits = [bit for bit in path_bits if bit.isdigit()]
        if digits:
            return Video("vimeo", digits[-1])
        raise UnsupportedVideoURL("This Vimeo address has no video number.")

    raise UnsupportedVideoURL("Only YouTube and Vimeo videos can be embedded. Paste the video's page address.")


def iso8601_duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


def clock_duration(seconds: int | None) -> str:
    if not seconds:
        return ""
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
