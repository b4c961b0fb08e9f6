"""trainer: builds the OHCHR course *Towards a Human Rights-Based Approach to Migration*."""

__version__ = "0.1.0"
