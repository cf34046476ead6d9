# Golden fixture: a small training script with findings of several rules.
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

HF_TOKEN = "hf_Qm7xT2vLp9KdR4sWz8YbN3cJf6HgA1eUoV"

df = pd.read_csv("/home/bob/data/loans.csv")
# mlops-lint: ignore[DAT003] documented sample path, kept for the tutorial
sample = pd.read_csv("/home/bob/data/sample.csv")
X_train, X_test, y_train, y_test = train_test_split(df.drop(columns=["y"]), df["y"], test_size=0.25)
model = LogisticRegression().fit(X_train, y_train)
