"""Model modules behind the four demos: pure Python, no Streamlit.

Conventions every module follows (see models/README.md): seeded and reproducible,
separate functions for data loading, training, prediction, evaluation and
explanation, plain inputs and outputs, and a command line (`python -m models.<name>`).
"""
