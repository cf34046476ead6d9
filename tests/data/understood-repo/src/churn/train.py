"""Trains the churn model from params.yaml."""
import argparse
import random

import numpy as np
import pandas as pd
import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from churn.split import split

# TODO: tune C with optuna once the features settle.


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--config", default="params.yaml")
    args = parser.parse_args()
    with open(args.config) as f:
        params = yaml.safe_load(f)
    random.seed(params["seed"])
    np.random.seed(params["seed"])
    frame = pd.read_parquet("data/customers.parquet")
    x_train, x_test, y_train, y_test = split(frame, params["test_size"], params["seed"])
    model = LogisticRegression(C=params["model"]["C"], max_iter=params["model"]["max_iter"])
    model.fit(x_train, y_train)
    print("hyperparameter search: see optuna docs", roc_auc_score(y_test, model.predict_proba(x_test)[:, 1]))


if __name__ == "__main__":
    main()
