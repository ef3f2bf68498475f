"""Movie recommendations on MovieLens ratings: data, training, fold-in, explanations, evaluation."""
