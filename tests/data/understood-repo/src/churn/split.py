"""Train/test split of the churn table."""
import pandas as pd
from sklearn import model_selection as ms


def split(frame: pd.DataFrame, test_size: float, seed: int):
    features, target = frame.drop(columns=["churned"]), frame["churned"]
    return ms.train_test_split(features, target, test_size=test_size, random_state=seed, stratify=target)
