"""Searches the random-forest hyperparameters with Optuna; the best values go to params.yaml."""
from pathlib import Path

import optuna
import pandas as pd
import yaml
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import cross_val_score


def main() -> None:
    params = yaml.safe_load(Path("params.yaml").read_text())
    df = pd.read_csv(Path("data") / "customers.csv")
    X, y = df.drop(columns=["churned", "customer_id"]), df["churned"]

    def objective(trial: optuna.Trial) -> float:
        model = RandomForestClassifier(
            n_estimators=trial.suggest_int("n_estimators", 100, 500),
            max_depth=trial.suggest_int("max_depth", 4, 16),
            random_state=params["seed"],
        )
        return cross_val_score(model, X, y, cv=5, scoring="roc_auc").mean()

    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.TPESampler(seed=params["seed"]))
    study.optimize(objective, n_trials=50)
    print(study.best_params)


if __name__ == "__main__":
    main()
