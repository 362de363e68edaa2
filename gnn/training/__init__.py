"""Out-of-fold training of the contagion GNN."""

from gnn.training.folds import fold_of, label_horizon, origin_of, training_months
from gnn.training.oof import OofRun, run_out_of_fold
from gnn.training.trainer import fit_model

__all__ = ["OofRun", "fit_model", "fold_of", "label_horizon", "origin_of", "run_out_of_fold", "training_months"]
