import pytest

from tools.lama_test_model import make_test_model


@pytest.fixture(scope="session")
def random_lama_path(tmp_path_factory):
    """A random-weight big-lama TorchScript file of the real architecture (made once)."""
    path = tmp_path_factory.mktemp("lama") / "random-big-lama.pt"
    make_test_model(path, seed=0)
    return path
