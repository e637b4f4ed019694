"""The fast tier's compiled hot path, built where a C compiler is found; without one the install goes on
and threadguard scores with the pure-Python path, which gives identical results (model/hotpath.py)."""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "threadguard.model._hotpath",
            ["src/threadguard/model/_hotpath.c"],
            # no fused multiply-add: the logits must round exactly as numpy's and scipy's do
            extra_compile_args=["-O3", "-ffp-contract=off"],
            optional=True,
        )
    ]
)
