"""The import contracts `lint-imports` checks (pyproject.toml) hold, and would catch a wrong-way
import: core importing an app, articles importing comments or accounts, the API and comments
importing each other, an app importing the project package or the benchmark."""

import grimp
import pytest
from django.conf import settings
from importlinter.api import read_configuration
from importlinter.contracts.layers import LayersContract


@pytest.fixture(scope="module")
def floors():
    config = read_configuration(str(settings.BASE_DIR / "pyproject.toml"))
    (options,) = config["contracts_options"]
    contract = LayersContract(
        name=options["name"], session_options=config["session_options"], contract_options=options
    )
    return contract, config["session_options"]["root_packages"]


def kept_with(floors, importer=None, imported=None):
    contract, packages = floors
    graph = grimp.build_graph(*packages)
    if importer:
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="import")
    return contract.check(graph, verbose=False).kept


def test_the_house_keeps_its_floors(floors):
    assert kept_with(floors)


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("core.caching", "articles.models"),
        ("articles.views", "comments.models"),
        ("articles.models", "accounts.models"),
        ("accounts.models", "articles.models"),
        ("comments.views", "demo.comments"),
        ("articles.views", "newsroom.settings"),
        ("core.views", "benchmarks.urls"),
        ("articles.models", "api.views"),
        ("api.views", "comments.models"),
        ("comments.views", "api.http"),
    ],
)
def test_a_wrong_way_import_breaks_the_contract(floors, importer, imported):
    assert not kept_with(floors, importer, imported)
