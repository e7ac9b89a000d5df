"""What a pickle may name, per profile: an allow-list, never a deny-list.

Every global a pickle names is imported when it loads (and usually called), so every global
must be on the list of the profile its container implies. Anything else fails, however
harmless it looks: deny-lists keep missing the next bypass.
"""

from __future__ import annotations

import re
from enum import Enum

__all__ = ["Profile", "allowed"]


class Profile(str, Enum):
    TORCH = "torch"
    """A torch checkpoint: zip (data.pkl) or legacy format; tensors, storages, numpy scalars,
    and the transformers objects saved beside weights (training_args.bin)."""
    NUMPY = "numpy"
    """A numpy array (.npy with object dtype, a pickled array)."""
    TORCHSCRIPT = "torchscript"
    """A TorchScript archive (torch.jit.save): torch's profile, plus the `__torch__` classes
    its own loader compiles from the archive's code/ (reported as remote code)."""
    JOBLIB = "joblib"
    """A joblib or generic pickle: numpy, scikit-learn estimators, plain containers."""


_CORE = frozenset({
    "collections.OrderedDict", "collections.defaultdict", "collections.deque",
    "builtins.set", "builtins.frozenset", "builtins.slice", "builtins.complex",
    "builtins.bytearray", "builtins.object", "builtins.int", "builtins.float",
    "builtins.bool", "builtins.str", "builtins.bytes", "builtins.list", "builtins.dict",
    "builtins.tuple", "__builtin__.set", "__builtin__.frozenset", "__builtin__.object",
    "copyreg._reconstructor", "copy_reg._reconstructor", "_codecs.encode",
    "datetime.datetime", "datetime.date", "datetime.time", "datetime.timedelta",
    "datetime.timezone", "decimal.Decimal", "argparse.Namespace",
})

_NUMPY = frozenset({
    *(f"{core}.multiarray.{name}" for core in ("numpy.core", "numpy._core")
      for name in ("_reconstruct", "scalar")),
    *(f"{core}.numeric._frombuffer" for core in ("numpy.core", "numpy._core")),
    "numpy.dtype", "numpy.ndarray", "numpy.ma.core._mareconstruct",
    "numpy.random._pickle.__randomstate_ctor", "numpy.random._pickle.__bit_generator_ctor",
    "numpy.random._pickle.__generator_ctor", "numpy.random.mtrand.RandomState",
    "numpy.random._mt19937.MT19937", "numpy.random._pcg64.PCG64",
    "numpy.random.bit_generator.SeedSequence",
})

_TORCH_STORAGES = ("Float", "Half", "BFloat16", "Double", "Long", "Int", "Short", "Char",
                   "Byte", "Bool", "ComplexFloat", "ComplexDouble", "QInt8", "QUInt8",
                   "QInt32", "QUInt4x2", "QUInt2x4", "Untyped")
_TORCH_DTYPES = ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32",
                 "int64", "uint8", "bool", "complex64", "complex128", "float8_e4m3fn",
                 "float8_e5m2", "half", "float", "double", "long", "int")

_TORCH = frozenset({
    *(f"torch._utils.{name}" for name in (
        "_rebuild_tensor", "_rebuild_tensor_v2", "_rebuild_tensor_v3", "_rebuild_parameter",
        "_rebuild_parameter_with_state", "_rebuild_qtensor", "_rebuild_sparse_tensor",
        "_rebuild_nested_tensor", "_rebuild_meta_tensor_no_storage",
        "_rebuild_device_tensor_from_numpy", "_rebuild_wrapper_subclass")),
    "torch._tensor._rebuild_from_type_v2", "torch._tensor.Tensor", "torch.Tensor",
    "torch.nn.parameter.Parameter", "torch.Size", "torch.device",
    "torch.serialization._get_layout", "torch.storage.UntypedStorage",
    "torch.storage.TypedStorage",
    *(f"torch.{kind}Storage" for kind in _TORCH_STORAGES),
    *(f"torch.{dtype}" for dtype in _TORCH_DTYPES),
    "torch.per_tensor_affine", "torch.per_channel_affine", "torch.strided",
    "torch.sparse_coo", "torch.contiguous_format", "torch.channels_last",
    # transformers' training_args.bin: a dataclass and the enums it holds.
    "transformers.training_args.TrainingArguments",
    "transformers.training_args_seq2seq.Seq2SeqTrainingArguments",
    "transformers.training_args.OptimizerNames", "transformers.trainer_utils.IntervalStrategy",
    "transformers.trainer_utils.SchedulerType", "transformers.trainer_utils.HubStrategy",
    "transformers.trainer_utils.SaveStrategy", "transformers.trainer_utils.EvaluationStrategy",
    "transformers.trainer_utils.FSDPOption", "transformers.debug_utils.DebugOption",
    "accelerate.utils.dataclasses.DistributedType", "accelerate.state.PartialState",
})

_SKLEARN_PACKAGES = frozenset({
    "linear_model", "ensemble", "tree", "preprocessing", "pipeline", "svm", "neighbors",
    "decomposition", "cluster", "feature_extraction", "feature_selection", "naive_bayes",
    "compose", "impute", "neural_network", "_loss", "model_selection", "discriminant_analysis",
    "gaussian_process", "kernel_approximation", "calibration", "multiclass", "dummy",
    "isotonic", "cross_decomposition", "manifold", "mixture", "random_projection",
    "semi_supervised", "covariance",
})
_CLASS_NAME = re.compile(r"[A-Z][A-Za-z0-9_]{0,80}")



def _pairs(names: frozenset[str]) -> frozenset[tuple[str, str]]:
    """(module, name) pairs: a pickle's dotted name (`OrderedDict.fromkeys`) never matches."""
    return frozenset((module, name) for module, _, name in (n.rpartition(".") for n in names))


_TORCHSCRIPT = frozenset({
    *(f"torch.jit._pickle.{name}" for name in (
        "build_intlist", "build_doublelist", "build_boollist", "build_tensorlist",
        "build_complexlist", "build_tensor_from_id", "restore_type_tag")),
})

_PROFILES: dict[Profile, frozenset[tuple[str, str]]] = {
    Profile.TORCH: _pairs(_CORE | _NUMPY | _TORCH),
    Profile.TORCHSCRIPT: _pairs(_CORE | _NUMPY | _TORCH | _TORCHSCRIPT),
    Profile.NUMPY: _pairs(_CORE | _NUMPY),
    Profile.JOBLIB: _pairs(_CORE | _NUMPY | {"joblib.numpy_pickle.NumpyArrayWrapper"}),
}


def _sklearn_class(module: str, name: str) -> bool:
    """A scikit-learn estimator class (not a function) from an estimator package.

    Estimator classes are rebuilt with `__new__` and `__setstate__`, which run no code from
    the file; module-level functions in the same packages are not admitted.
    """
    parts = module.split(".")
    return (len(parts) >= 2 and parts[0] == "sklearn"  # noqa: PLR2004 - sklearn.package
            and parts[1] in _SKLEARN_PACKAGES and _CLASS_NAME.fullmatch(name) is not None)


def allowed(profile: Profile, module: str, name: str) -> bool:
    """Whether `module.name` may be named by a pickle of this profile."""
    if (module, name) in _PROFILES[profile]:
        return True
    if profile is Profile.TORCHSCRIPT:
        # Resolved by torch.jit's class loader from the archive's compiled code, not imported.
        return module == "__torch__" or module.startswith("__torch__.")
    return profile is Profile.JOBLIB and _sklearn_class(module, name)
