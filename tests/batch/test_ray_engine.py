"""`--engine ray` on a real local Ray cluster (a head and a worker node, separate processes) writes the
same bytes as the local engine."""

import pytest

from tests.batch.helpers import run_cli, warc_record_bytes, write_jsonl
from threadguard.batch.job import BatchJob
from threadguard.batch.sources import ReadOptions

PAGE = b"Opening hours\n\nThe library opens at nine on weekdays."


@pytest.fixture(scope="module")
def cluster():
    from ray.cluster_utils import Cluster

    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "include_dashboard": False})
    cluster.add_node(num_cpus=1)
    yield cluster
    cluster.shutdown()


def test_ray_cluster_output_equals_the_local_engine(cluster, tmp_path):
    write_jsonl(tmp_path / "a.jsonl", 240, bad_every=50)
    (tmp_path / "b.warc.gz").write_bytes(
        warc_record_bytes([("conversion", "https://x.example/", PAGE, None)])
    )
    inputs = [tmp_path / "a.jsonl", tmp_path / "b.warc.gz"]
    local = BatchJob.create(inputs, tmp_path / "local.parquet", ReadOptions(), chunk_rows=40)
    local.run("local", workers=1, progress=False)

    out = tmp_path / "ray.parquet"
    args = [
        "--out",
        out,
        "--chunk-rows",
        "40",
        "--engine",
        "ray",
        "--address",
        cluster.address,
        "--no-progress",
    ]
    result = run_cli(*inputs, *args, timeout=150)
    assert result.returncode == 0, result.stderr[-3000:]
    assert out.read_bytes() == local.out.read_bytes()
    assert (tmp_path / "ray.errors.jsonl").read_bytes() == local.errors_path.read_bytes()
