"""Trains the churn model with the parameters in params.yaml and logs the run to MLflow."""
import json
import random
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import yaml
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    random.seed(params["seed"])
    np.random.seed(params["seed"])

    df = pd.read_csv(Path("data") / "customers.csv")
    X, y = df.drop(columns=["churned", "customer_id"]), df["churned"]
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=params["split"]["test_size"], random_state=params["seed"], stratify=y
    )

    # Scaling inside the pipeline: fitted on the training split only, no leakage.
    model = make_pipeline(
        StandardScaler(),
        RandomForestClassifier(random_state=params["seed"], **params["train"]),
    )
    with mlflow.start_run():
        mlflow.log_params(params["train"])
        model.fit(X_train, y_train)
        auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
        mlflow.log_metric("test_auc", auc)
        mlflow.sklearn.log_model(model, "model")
    Path("metrics.json").write_text(json.dumps({"test_auc": auc}))


if __name__ == "__main__":
    main()
