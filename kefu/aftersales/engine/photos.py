"""Photo evidence is checked by its bytes, not its name: Pillow is not a dependency, so the
image formats a phone or a chat window produces are recognised by their signatures. Pure."""

from __future__ import annotations

MAX_PHOTO_BYTES = 10 * 1024 * 1024
"""Largest photo accepted (10 MB): a phone's full-size JPEG is 2-6 MB; Taobao's own chat window
sends images up to this size. A technical limit, not a shop rule, so not in the policy."""

EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


def sniff_image(data: bytes) -> str | None:
    """The image type these bytes begin with, or None when they are not a supported image."""
    if data[:3] == b"\xff\xd8\xff":
        return "image/jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None


def size_problem(size: int, name: str, *, max_bytes: int = MAX_PHOTO_BYTES) -> str | None:
    """Why a file of this size is refused (checked before its bytes are read), or None."""
    if size <= 0:
        return f"{name}：文件是空的"
    if size > max_bytes:
        return (
            f"{name}：文件太大（{size / 1024 / 1024:.1f} MB），"
            f"照片最大 {max_bytes // 1024 // 1024} MB"
        )
    return None


def photo_problem(data: bytes, name: str, *, max_bytes: int = MAX_PHOTO_BYTES) -> str | None:
    """Why this upload is not accepted as photo evidence, or None when it is."""
    problem = size_problem(len(data), name, max_bytes=max_bytes)
    if problem:
        return problem
    if sniff_image(data) is None:
        return f"{name}：不是图片（只接受 JPEG、PNG、GIF、WebP 格式）"
    return None
