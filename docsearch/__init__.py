"""docsearch: search and topic tagging over Vietnamese policy documents."""

from docsearch.model import Clause, Document, Link, Metadata, Reference, Tag

__all__ = ["Clause", "Document", "Link", "Metadata", "Reference", "Tag", "__version__"]
__version__ = "0.1.0"
