"""Import every module that defines models, so ``Base.metadata`` holds the whole schema."""

from schoolhr.checklists import models as checklist_models  # noqa: F401
from schoolhr.contacts import models as contact_models  # noqa: F401
from schoolhr.faq import models as faq_models  # noqa: F401
from schoolhr.guides import models as guide_models  # noqa: F401
from schoolhr.rewards import models as reward_models  # noqa: F401
from schoolhr.search import models as search_models  # noqa: F401
from schoolhr.store import models as core_models  # noqa: F401
from schoolhr.store.base import Base
from schoolhr.sync import models as sync_models  # noqa: F401

metadata = Base.metadata
