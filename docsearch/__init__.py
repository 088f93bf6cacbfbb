"""docsearch: search, topic tagging and task → clause linking over Vietnamese policy documents."""

from docsearch.model import Clause, Document, Metadata, Reference, Tag

__all__ = ["Clause", "Document", "Metadata", "Reference", "Tag", "__version__"]
__version__ = "0.1.0"
