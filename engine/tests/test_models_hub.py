"""`models download|verify|list` against the stand-in hub serving the tiny set.

Downloads run the real command in a subprocess with HF_ENDPOINT pointing at the stand-in hub and
HF_HOME in a temporary directory, so the user's Hugging Face cache is never read or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from http.client import IncompleteRead
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import huggingface_hub.constants
import pytest
import torch
from safetensors.torch import load_file, save_file
from standin_hub import Fault, StandinHub

from framepack_engine.__main__ import main
from framepack_engine.weights.hub import allow_patterns, components_for
from framepack_engine.weights.layout import (
    COMPONENTS,
    FLUX_REDUX_REPO,
    HUNYUAN_VIDEO_REPO,
    IMAGE_ENCODER,
    TEXT_ENCODER,
    TRANSFORMER_BASE,
    VAE,
    component_relative_dir,
    missing_weights,
)
from framepack_engine.weights.loader import ModelSet

ENGINE_DIR = Path(__file__).resolve().parents[1]
TEXT_ENCODER_DIR = component_relative_dir(TEXT_ENCODER).as_posix()
SHARDS = [f"model-0000{n}-of-00002.safetensors" for n in (1, 2)]
VAE_WEIGHTS = f"{component_relative_dir(VAE).as_posix()}/diffusion_pytorch_model.safetensors"
IMAGE_ENCODER_WEIGHTS = f"{component_relative_dir(IMAGE_ENCODER).as_posix()}/model.safetensors"
# Files the served repos hold that the layout never loads.
NOT_NEEDED = [
    f"{HUNYUAN_VIDEO_REPO}/transformer/config.json",
    f"{HUNYUAN_VIDEO_REPO}/transformer/diffusion_pytorch_model.safetensors",
    f"{HUNYUAN_VIDEO_REPO}/README.md",
    f"{FLUX_REDUX_REPO}/image_embedder/model.safetensors",
    f"{TRANSFORMER_BASE.repo_id}/README.md",
]


@pytest.fixture(scope="module")
def served_root(tiny_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny set as the Hub would hold it: the text encoder sharded, with files we skip."""
    root = tmp_path_factory.mktemp("hub") / "root"
    shutil.copytree(tiny_root, root)
    _shard(root / TEXT_ENCODER_DIR)
    for name in NOT_NEEDED:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"not needed\n")
    return root


def _shard(directory: Path) -> None:
    """Rewrites model.safetensors as a two-shard transformers checkpoint with its index."""
    tensors = load_file(directory / "model.safetensors")
    names = sorted(tensors)
    halves = [names[: len(names) // 2], names[len(names) // 2 :]]
    weight_map: dict[str, str] = {}
    for shard, half in zip(SHARDS, halves, strict=True):
        save_file({name: tensors[name] for name in half}, directory / shard, {"format": "pt"})
        weight_map |= dict.fromkeys(half, shard)
    index = {"metadata": {"total_size": 0}, "weight_map": weight_map}
    (directory / "model.safetensors.index.json").write_text(json.dumps(index))
    (directory / "model.safetensors").unlink()


def needed_files(served_root: Path) -> set[str]:
    """Root-relative paths of what a full download must fetch."""
    files = {
        path.relative_to(served_root).as_posix()
        for path in served_root.rglob("*")
        if path.is_file() and path.parent != served_root
    }
    return files - set(NOT_NEEDED)


def isolated_env(home: Path) -> dict[str, str]:
    """The environment of a download: no token, online, HF_HOME (and its cache) under `home`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("HF_") and key != "HUGGING_FACE_HUB_TOKEN"
    }
    return env | {"HF_HOME": str(home / "hf-home"), "HF_HUB_DISABLE_TELEMETRY": "1"}


@pytest.fixture
def hf_env(tmp_path: Path) -> dict[str, str]:
    return isolated_env(tmp_path)


@pytest.fixture
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process commands look for components in an empty Hugging Face cache."""
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_CACHE", str(tmp_path / "hf-cache"))


def run_models(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "framepack_engine", "models", *args],
        cwd=ENGINE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def download(
    root: Path, hub: StandinHub, env: dict[str, str], *extra: str
) -> subprocess.CompletedProcess[str]:
    return run_models(
        "download", "--model-root", str(root), *extra, env=env | {"HF_ENDPOINT": hub.url}
    )


@pytest.fixture(scope="module")
def downloaded(
    served_root: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, StandinHub]]:
    """One complete download, shared by the tests that only read it."""
    home = tmp_path_factory.mktemp("downloaded")
    with StandinHub(served_root) as hub:
        result = download(home / "models", hub, isolated_env(home))
        assert result.returncode == 0, result.stderr
        yield home / "models", hub


def verify_json(root: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["models", "verify", "--model-root", str(root), "--json"])
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return code, report


def test_download_fetches_only_the_needed_files_then_verifies_and_loads(
    downloaded: tuple[Path, StandinHub],
    served_root: Path,
    private_cache: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root, hub = downloaded
    fetched = {record.file for record in hub.downloads()}
    assert fetched == needed_files(served_root)
    assert all(not (root / name).exists() for name in NOT_NEEDED)
    for shard in SHARDS:
        assert (root / TEXT_ENCODER_DIR / shard).is_file()

    code, report = verify_json(root, capsys)
    assert code == 0
    assert report["complete"] is True
    assert report["tiny"] is False  # the marker is not part of any repo
    assert report["missing"] == []
    components = report["components"]
    assert {c["role"]: c["source"] for c in components} == {c.role: "root" for c in COMPONENTS}

    models = ModelSet(root, torch.device("cpu"))
    models.load_all(include_f1=True)
    assert not models.is_tiny
    assert models.text_encoder().config.hidden_size > 0


def test_verify_names_missing_files_and_shards(
    downloaded: tuple[Path, StandinHub],
    tmp_path: Path,
    private_cache: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "models"
    shutil.copytree(downloaded[0], root)
    deleted = [
        f"{component_relative_dir(VAE).as_posix()}/config.json",
        f"{TEXT_ENCODER_DIR}/{SHARDS[1]}",
    ]
    for name in deleted:
        (root / name).unlink()

    code = main(["models", "verify", "--model-root", str(root)])
    out = capsys.readouterr().out
    assert code == 1
    assert "incomplete" in out
    for name in deleted:
        assert f"  {name}\n" in out
    assert "npx framepack models download" in out

    code, report = verify_json(root, capsys)
    assert code == 1
    assert report["complete"] is False
    assert sorted(report["missing"]) == sorted(deleted)


def test_without_the_f1_transformer_the_set_is_complete_but_says_so(
    downloaded: tuple[Path, StandinHub],
    tmp_path: Path,
    private_cache: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = tmp_path / "models"
    shutil.copytree(downloaded[0], root)
    shutil.rmtree(root / "lllyasviel/FramePack_F1_I2V_HY_20250503")

    code = main(["models", "verify", "--model-root", str(root)])
    out = capsys.readouterr().out
    assert code == 0
    assert "complete" in out
    assert "FramePack_F1_I2V_HY_20250503/config.json" in out

    code, report = verify_json(root, capsys)
    assert (code, report["complete"], report["missing"]) == (0, True, [])
    assert "lllyasviel/FramePack_F1_I2V_HY_20250503/config.json" in report["optional_missing"]


def test_list_shows_each_component_its_source_and_size(
    downloaded: tuple[Path, StandinHub],
    tiny_root: Path,
    private_cache: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    root = downloaded[0]
    assert main(["models", "list", "--model-root", str(root), "--json"]) == 0
    components = json.loads(capsys.readouterr().out)["components"]
    vae = next(c for c in components if c["role"] == "vae")
    assert vae["repo"] == HUNYUAN_VIDEO_REPO
    assert vae["dir"] == str(root / component_relative_dir(VAE))
    assert vae["bytes"] == sum(
        p.stat().st_size for p in (root / component_relative_dir(VAE)).iterdir()
    )
    assert all(c["source"] == "root" and not c["tiny"] for c in components)

    assert main(["models", "list", "--model-root", str(root)]) == 0
    table = capsys.readouterr().out
    assert "complete, real weights" in table
    for component in COMPONENTS:
        assert component.role in table

    assert main(["models", "list", "--model-root", str(tiny_root)]) == 0
    assert "TINY" in capsys.readouterr().out


def served_with_file(served_root: Path, tmp_path: Path, name: str, size: int) -> Path:
    """A copy of the served root with one more weights file of `size` random bytes."""
    served = tmp_path / "served"
    shutil.copytree(served_root, served)
    (served / name).write_bytes(os.urandom(size))
    return served


def part_of(root: Path, name: str, content: bytes) -> Path:
    """Where a download keeps the part of a root-relative file between runs."""
    org, repo, path = name.split("/", 2)
    sha = hashlib.sha256(content).hexdigest()
    return root / org / repo / ".cache" / "framepack" / f"{path}.{sha[:16]}.part"


def test_a_dropped_connection_resumes_where_it_stopped(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    # huggingface_hub writes what it receives in 10 MiB chunks and resumes after the last whole
    # one, so the file is larger than that and the cut comes after the first chunk.
    chunk = huggingface_hub.constants.DOWNLOAD_CHUNK_SIZE
    large = f"{component_relative_dir(VAE).as_posix()}/large-test-file.safetensors"
    served = served_with_file(served_root, tmp_path, large, chunk + 300_000)
    cut = chunk + 100_000
    fault = Fault(large, after_bytes=cut)
    with StandinHub(served, faults=[fault]) as hub:
        result = download(tmp_path / "models", hub, hf_env)
    assert result.returncode == 0, result.stderr
    assert fault.triggered.is_set()
    gets = [(r.range, r.bytes_sent) for r in hub.downloads() if r.file == large]
    assert gets == [(None, cut), (f"bytes={chunk}-", 300_000)]
    assert (tmp_path / "models" / large).read_bytes() == (served / large).read_bytes()


def test_an_interrupted_download_continues_inside_the_cut_file(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    chunk = huggingface_hub.constants.DOWNLOAD_CHUNK_SIZE
    large = f"{component_relative_dir(IMAGE_ENCODER).as_posix()}/large-test-file.safetensors"
    served = served_with_file(served_root, tmp_path, large, chunk + 300_000)
    root = tmp_path / "models"
    part = part_of(root, large, (served / large).read_bytes())
    # The image encoder's repo comes last and this file first in it: everything before it
    # completes, then it stalls once its first whole chunk is on disk.
    fault = Fault(large, after_bytes=chunk + 50_000, stall=True)
    with StandinHub(served, faults=[fault]) as hub:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "framepack_engine",
                "models",
                "download",
                "--model-root",
                str(root),
            ],
            cwd=ENGINE_DIR,
            env=hf_env | {"HF_ENDPOINT": hub.url},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert fault.triggered.wait(60)
            deadline = time.monotonic() + 10
            while not (part.is_file() and part.stat().st_size >= chunk):
                assert time.monotonic() < deadline, "the first chunk never reached the part"
                time.sleep(0.05)
        finally:
            process.send_signal(signal.SIGINT)  # Ctrl-C
            assert process.wait(timeout=10) == 128 + signal.SIGINT
    needed = needed_files(served)
    done = {name for name in needed if (root / name).is_file()}
    assert large not in done and IMAGE_ENCODER_WEIGHTS not in done
    assert part.read_bytes() == (served / large).read_bytes()[:chunk]

    with StandinHub(served) as hub:
        result = download(root, hub, hf_env)
    assert result.returncode == 0, result.stderr
    assert {record.file for record in hub.downloads()} == needed - done
    gets = [(r.range, r.bytes_sent) for r in hub.downloads() if r.file == large]
    assert gets == [(f"bytes={chunk}-", 300_000)]
    assert (root / large).read_bytes() == (served / large).read_bytes()
    assert not part.exists()


def test_a_damaged_part_is_caught_by_its_hash_then_fetched_again(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    root = tmp_path / "models"
    part = part_of(root, VAE_WEIGHTS, (served_root / VAE_WEIGHTS).read_bytes())
    part.parent.mkdir(parents=True)
    size = (served_root / VAE_WEIGHTS).stat().st_size
    part.write_bytes(bytes(size // 2))  # zeros, not the file's first half
    with StandinHub(served_root) as hub:
        damaged = download(root, hub, hf_env)
        assert [r.range for r in hub.downloads() if r.file == VAE_WEIGHTS] == [
            f"bytes={size // 2}-"
        ]
        again = download(root, hub, hf_env)
    assert damaged.returncode == 1
    assert f"error: {VAE_WEIGHTS} arrived damaged" in damaged.stderr
    assert again.returncode == 0, again.stderr
    assert (root / VAE_WEIGHTS).read_bytes() == (served_root / VAE_WEIGHTS).read_bytes()


def test_a_part_of_an_older_version_is_not_continued(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    root = tmp_path / "models"
    stale = part_of(root, VAE_WEIGHTS, b"the file as an older commit had it")
    stale.parent.mkdir(parents=True)
    stale.write_bytes(bytes(100))
    with StandinHub(served_root) as hub:
        result = download(root, hub, hf_env)
    assert result.returncode == 0, result.stderr
    assert [r.range for r in hub.downloads() if r.file == VAE_WEIGHTS] == [None]
    assert not stale.exists()


def test_weights_come_from_signed_storage_without_the_token_and_expired_links_are_renewed(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    token = "hf_standinSecretToken123"
    # A storage link serves one request: the VAE's cut transfer retries on a used-up link.
    fault = Fault(VAE_WEIGHTS, after_bytes=1000)
    with StandinHub(served_root, token=token, storage_link_uses=1, faults=[fault]) as hub:
        result = download(tmp_path / "models", hub, hf_env | {"HF_TOKEN": token})
    assert result.returncode == 0, result.stderr
    storage = [r for r in hub.requests if r.path.startswith("/storage/")]
    weights = {name for name in needed_files(served_root) if name.endswith(".safetensors")}
    assert {r.file for r in storage} == weights
    assert not any(r.authorized for r in storage)
    assert [r.status for r in storage if r.file == VAE_WEIGHTS] == [200, 403, 200]
    served = (served_root / VAE_WEIGHTS).read_bytes()
    assert (tmp_path / "models" / VAE_WEIGHTS).read_bytes() == served


def test_weights_already_in_place_are_checked_not_fetched(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    # As if another tool had fetched the set: the files are there, without our markers.
    root = tmp_path / "models"
    shutil.copytree(served_root, root)
    with StandinHub(served_root) as hub:
        result = download(root, hub, hf_env)
    assert result.returncode == 0, result.stderr
    fetched = {record.file for record in hub.downloads()}
    assert fetched and not any(str(name).endswith(".safetensors") for name in fetched)


def test_a_token_is_sent_never_shown_and_its_absence_explained(
    served_root: Path, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    token = "hf_standinSecretToken123"
    with StandinHub(served_root, token=token) as hub:
        refused = download(tmp_path / "refused", hub, hf_env)
        accepted = download(tmp_path / "models", hub, hf_env | {"HF_TOKEN": token})
    assert refused.returncode == 1
    assert "gated" in refused.stderr and "HF_TOKEN" in refused.stderr
    assert accepted.returncode == 0, accepted.stderr
    assert all(record.authorized for record in hub.downloads())
    for output in (refused.stdout, refused.stderr, accepted.stdout, accepted.stderr):
        assert token not in output


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"HF_ENDPOINT": "http://127.0.0.1:9"}, "could not reach http://127.0.0.1:9"),
        ({"HF_HUB_OFFLINE": "1"}, "HF_HUB_OFFLINE"),
    ],
)
def test_a_download_that_cannot_start_says_why(
    env: dict[str, str], message: str, tmp_path: Path, hf_env: dict[str, str]
) -> None:
    result = run_models("download", "--model-root", str(tmp_path / "models"), env=hf_env | env)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_variants_pick_their_transformer() -> None:
    roles = {
        variant: {c.role for c in components_for(variant)} for variant in ("base", "f1", "all")
    }
    assert "transformer_f1" not in roles["base"] and "transformer_base" in roles["base"]
    assert "transformer_base" not in roles["f1"] and "transformer_f1" in roles["f1"]
    assert roles["all"] == {c.role for c in COMPONENTS}
    assert allow_patterns(VAE) == [
        "vae/config.json",
        "vae/*.safetensors",
        "vae/*.safetensors.index.json",
    ]


def test_weights_rules_for_sharded_checkpoints(tmp_path: Path) -> None:
    assert missing_weights(tmp_path) == ["*.safetensors"]
    shard = "diffusion_pytorch_model-00001-of-00003.safetensors"
    (tmp_path / shard).write_bytes(b"")
    # Shards without their index: the index and the other shards are missing, by name.
    assert missing_weights(tmp_path) == [
        "diffusion_pytorch_model-00002-of-00003.safetensors",
        "diffusion_pytorch_model-00003-of-00003.safetensors",
        "diffusion_pytorch_model.safetensors.index.json",
    ]
    index = tmp_path / "diffusion_pytorch_model.safetensors.index.json"
    index.write_text(json.dumps({"weight_map": {"a": shard, "b": "other-shard.safetensors"}}))
    assert missing_weights(tmp_path) == ["other-shard.safetensors"]
    index.write_text("{truncated")
    assert missing_weights(tmp_path) == [index.name]


def test_the_hub_runs_as_a_script_with_a_fault_and_a_request_log(served_root: Path) -> None:
    command = [sys.executable, "tests/standin_hub.py", "--root"]
    command += [str(served_root), "--drop-file", VAE_WEIGHTS, "--drop-after", "1000"]
    hub = subprocess.Popen(
        [*command, "--log-requests"], cwd=ENGINE_DIR, stdout=subprocess.PIPE, text=True
    )
    try:
        assert hub.stdout is not None
        url = hub.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        commit = json.load(urlopen(f"{url}/api/models/{HUNYUAN_VIDEO_REPO}"))["sha"]
        file_url = (
            f"{url}/{HUNYUAN_VIDEO_REPO}/resolve/{commit}/vae/diffusion_pytorch_model.safetensors"
        )
        with pytest.raises(IncompleteRead), urlopen(file_url) as response:
            response.read()
        with urlopen(Request(file_url, headers={"Range": "bytes=1000-"})) as response:
            assert response.status == 206
            rest = response.read()
        assert rest == (served_root / VAE_WEIGHTS).read_bytes()[1000:]
        records = [json.loads(hub.stdout.readline()) for _ in range(3)]
        assert [(r["file"], r["range"], r["bytes_sent"]) for r in records[1:]] == [
            (VAE_WEIGHTS, None, 1000),
            (VAE_WEIGHTS, "bytes=1000-", len(rest)),
        ]
    finally:
        hub.send_signal(signal.SIGTERM)
        assert hub.wait(timeout=10) == 0
