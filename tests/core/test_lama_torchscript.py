import struct
import zipfile

import numpy as np
import pytest

from lamadesk.core.errors import ModelArchiveError, ModelLoadError
from lamadesk.core.models.lama.torchscript import TorchScriptLama
from tests.tiny_models import FillConstant, MirrorWidth, ShowMask, save_scripted

ODD_SIZES = [(37, 53), (8, 8), (5, 3), (64, 71)]


def random_image(height, width, seed=0):
    return np.random.default_rng(seed).integers(0, 256, size=(height, width, 3), dtype=np.uint8)


@pytest.mark.parametrize(("height", "width"), ODD_SIZES)
def test_masked_area_gets_the_models_colour_in_rgb_order(tmp_path, height, width):
    backend = TorchScriptLama(save_scripted(FillConstant(), tmp_path / "fill.pt"), "cpu")
    mask = np.zeros((height, width), dtype=bool)
    mask[height // 2 :, : width // 2 + 1] = True
    image = random_image(height, width)
    output = backend.inpaint(image, mask)
    assert output.shape == image.shape
    assert output.dtype == np.uint8
    assert (output[mask] == [51, 102, 153]).all()
    assert np.array_equal(output[~mask], image[~mask])


@pytest.mark.parametrize(("height", "width"), ODD_SIZES)
def test_padding_mirrors_the_edge_and_the_output_is_cropped_back(tmp_path, height, width):
    backend = TorchScriptLama(save_scripted(MirrorWidth(), tmp_path / "mirror.pt"), "cpu")
    image = random_image(height, width, seed=height)
    padded = np.pad(image, ((0, -height % 8), (0, -width % 8), (0, 0)), mode="symmetric")
    expected = padded[:, ::-1][:height, :width]
    output = backend.inpaint(image, np.ones((height, width), dtype=bool))
    assert np.array_equal(output, expected)


def test_mask_reaches_the_model_as_zero_and_one(tmp_path):
    backend = TorchScriptLama(save_scripted(ShowMask(), tmp_path / "mask.pt"), "cpu")
    mask = np.eye(12, 20, dtype=bool)
    output = backend.inpaint(random_image(12, 20), mask)
    assert np.array_equal(output[..., 0], mask.astype(np.uint8) * 255)


def test_a_file_that_is_not_torchscript_raises_model_load_error(tmp_path):
    bogus = tmp_path / "big-lama.pt"
    bogus.write_bytes(b"not a model")
    with pytest.raises(ModelLoadError) as caught:
        TorchScriptLama(bogus, "cpu")
    assert caught.value.path == bogus


def test_cpu_twin_of_a_cpu_backend_is_itself(tmp_path):
    backend = TorchScriptLama(save_scripted(FillConstant(), tmp_path / "fill.pt"), "cpu")
    assert backend.on_cpu() is backend


def test_a_member_that_fails_its_crc_is_refused_not_run(tmp_path):
    path = save_scripted(FillConstant(), tmp_path / "fill.pt")
    with zipfile.ZipFile(path) as archive:
        (member,) = [i for i in archive.infolist() if "/data/" in i.filename]
    data = bytearray(path.read_bytes())
    # The colour's bytes follow the local header: 30 bytes, the name, the extra field.
    name_length, extra_length = struct.unpack_from("<HH", data, member.header_offset + 26)
    start = member.header_offset + 30 + name_length + extra_length
    data[start : start + 4] = struct.pack("<f", 0.9)
    path.write_bytes(bytes(data))

    with pytest.raises(ModelArchiveError, match=r"bad CRC in member \S+/data/0") as caught:
        TorchScriptLama(path, "cpu")
    assert caught.value.path == path
