"""Cross-fade math, uint8 conversion and atomic H.264 MP4 writing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import av
import numpy as np
import pytest
import torch

from framepack_engine.video_output import (
    FrameArray,
    pixels_to_uint8_frames,
    soft_append_frames,
    write_mp4,
)


def _clip(*values: float) -> torch.Tensor:
    """(1, 3, len(values), 2, 2), frame t filled with values[t]."""
    return (
        torch.tensor(values, dtype=torch.float32)
        .view(1, 1, -1, 1, 1)
        .expand(1, 3, -1, 2, 2)
        .clone()
    )


def _values(clip: torch.Tensor) -> list[float]:
    return [float(v) for v in clip[0, 0, :, 0, 0]]


def _gradient_frames(count: int = 6, height: int = 32, width: int = 48) -> FrameArray:
    """Smooth moving gradients, which H.264 reproduces closely."""
    y, x = np.mgrid[0:height, 0:width]
    frames = [
        np.stack([(x * 5 + 10 * t) % 256, (y * 7) % 256, np.full_like(x, 40 * t)], axis=-1)
        for t in range(count)
    ]
    return np.stack(frames).astype(np.uint8)


def test_first_section_is_taken_as_is() -> None:
    current = _clip(1, 2, 3)
    assert soft_append_frames(None, current, overlap=2, prepend=True) is current


def test_append_cross_fades_the_overlap() -> None:
    # weights linspace(1, 0, 3) = [1, .5, 0] on history's tail [10, 20, 30]
    blended = soft_append_frames(_clip(10, 20, 30), _clip(100, 200, 300), 3, prepend=False)
    assert _values(blended) == [10, 110, 300]
    blended = soft_append_frames(_clip(0, 0, 0, 0), _clip(1, 1, 1, 1), 3, prepend=False)
    assert _values(blended) == [0, 0, 0.5, 1, 1]


def test_prepend_puts_the_new_section_first() -> None:
    blended = soft_append_frames(_clip(0, 0, 0, 0), _clip(1, 1, 1, 1), 3, prepend=True)
    assert _values(blended) == [1, 1, 0.5, 0, 0]
    blended = soft_append_frames(_clip(100, 200, 300), _clip(10, 20, 30), 2, prepend=True)
    assert _values(blended) == [10, 20, 200, 300]  # weights [1, 0]


def test_zero_overlap_concatenates() -> None:
    assert _values(soft_append_frames(_clip(1, 2), _clip(3), 0, prepend=False)) == [1, 2, 3]


def test_overlap_longer_than_a_part_is_refused() -> None:
    with pytest.raises(ValueError):
        soft_append_frames(_clip(1, 2, 3), _clip(4, 5), 3, prepend=False)


def test_integer_pixels_are_refused() -> None:
    with pytest.raises(ValueError):
        soft_append_frames(torch.zeros(1, 3, 2, 2, 2, dtype=torch.uint8), _clip(1, 2), 1, False)


def test_pixels_to_uint8_frames_clamps_and_rounds() -> None:
    pixels = torch.zeros(1, 3, 6, 2, 4)
    pixels[0, 0, :, 0, 0] = torch.tensor([-1.0, -0.5, 0.0, 1.0, 2.0, -3.0])
    pixels[0, 2] = 1.0  # blue channel, to check the channel order
    frames = pixels_to_uint8_frames(pixels)
    assert frames.shape == (6, 2, 4, 3) and frames.dtype == np.uint8
    assert frames[:, 0, 0, 0].tolist() == [0, 64, 128, 255, 255, 0]  # 63.75 -> 64, 127.5 -> 128
    assert (frames[..., 2] == 255).all() and (frames[..., 1] == 128).all()


def test_pixels_to_uint8_frames_needs_a_single_clip() -> None:
    with pytest.raises(ValueError):
        pixels_to_uint8_frames(torch.zeros(2, 3, 1, 2, 2))


@pytest.mark.parametrize("as_tensor", [False, True])
def test_write_mp4_round_trip(tmp_path: Path, as_tensor: bool) -> None:
    frames = _gradient_frames()
    path = tmp_path / "video.mp4"
    write_mp4(torch.from_numpy(frames) if as_tensor else frames, path, crf=10)

    assert [p.name for p in tmp_path.iterdir()] == ["video.mp4"]  # no temp file left
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264"
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.width, stream.height) == (48, 32)
        assert stream.average_rate == 30
        decoded = np.stack([f.to_ndarray(format="rgb24") for f in container.decode(stream)])
    assert decoded.shape == frames.shape
    assert np.abs(decoded.astype(int) - frames.astype(int)).mean() < 8


def test_write_mp4_puts_the_index_first(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    write_mp4(_gradient_frames(), path)
    data = path.read_bytes()
    assert 0 <= data.find(b"moov") < data.find(b"mdat")


def test_write_mp4_replaces_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "video.mp4"
    path.write_bytes(b"old")
    write_mp4(_gradient_frames(count=2), path)
    with av.open(str(path)) as container:
        assert sum(1 for _ in container.decode(video=0)) == 2


def _fail_on_every_third_frame(monkeypatch: pytest.MonkeyPatch) -> None:
    original = av.VideoFrame.from_ndarray
    calls = 0

    def from_ndarray(array: FrameArray, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls % 3 == 0:
            raise RuntimeError("encoder crashed")
        return original(array, **kwargs)

    monkeypatch.setattr(av.VideoFrame, "from_ndarray", from_ndarray)


def test_crash_mid_encode_leaves_nothing_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fail_on_every_third_frame(monkeypatch)
    with pytest.raises(RuntimeError, match="encoder crashed"):
        write_mp4(_gradient_frames(), tmp_path / "new.mp4")
    assert list(tmp_path.iterdir()) == []

    old = tmp_path / "old.mp4"
    old.write_bytes(b"previous video")
    with pytest.raises(RuntimeError, match="encoder crashed"):
        write_mp4(_gradient_frames(), old)
    assert list(tmp_path.iterdir()) == [old]
    assert old.read_bytes() == b"previous video"


def test_failed_rename_removes_the_encoded_temp_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp_files: list[Path] = []

    def failing_replace(source: str | Path, _target: str | Path) -> None:
        temp_files.append(Path(source))
        assert Path(source).stat().st_size > 0  # the encode itself finished
        raise OSError("disk gone")

    monkeypatch.setattr("framepack_engine.outputs.os.replace", failing_replace)
    with pytest.raises(OSError, match="disk gone"):
        write_mp4(_gradient_frames(), tmp_path / "video.mp4")
    [temp] = temp_files
    assert temp.parent == tmp_path
    assert temp.name.startswith(".video.mp4.") and temp.name.endswith(".tmp")
    assert list(tmp_path.iterdir()) == []


def test_encoder_error_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(av.error.FFmpegError):
        write_mp4(_gradient_frames(), tmp_path / "video.mp4", crf=-3)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "frames",
    [
        np.zeros((2, 31, 48, 3), dtype=np.uint8),  # odd height
        np.zeros((2, 32, 48, 3), dtype=np.float32),  # not uint8
        np.zeros((2, 32, 48), dtype=np.uint8),  # no channels
        np.zeros((0, 32, 48, 3), dtype=np.uint8),  # no frames
    ],
)
def test_write_mp4_rejects_bad_frames(tmp_path: Path, frames: Any) -> None:
    with pytest.raises(ValueError):
        write_mp4(frames, tmp_path / "video.mp4")
    assert list(tmp_path.iterdir()) == []
