"""Import every module that defines models, so ``Base.metadata`` holds the whole schema."""

from schoolhr.store import models as core_models  # noqa: F401
from schoolhr.store.base import Base

metadata = Base.metadata
