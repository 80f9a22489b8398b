"""Privacy-notice generator: YAML describing personal-data processing in, bilingual policy site out.

The core pipeline is load -> validate -> model -> render -> diff; the MkDocs plugin and
the command line are thin shells over it (see docs/architecture.md).
"""

__version__ = "0.1.0"
