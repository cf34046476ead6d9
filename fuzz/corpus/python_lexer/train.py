import pickle

import pandas as pd
import wandb
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

WANDB_API_KEY = "3f8a1c9e2b7d4f6a8c0e1b3d5f7a9c2e4b6d8f0a"
wandb.login(key=WANDB_API_KEY)
run = wandb.init(project="churn")

df = pd.read_csv("/home/alice/projects/churn/data/customers.csv")
X = df.drop(columns=["churned"])
y = df["churned"]

scaler = StandardScaler()
X = scaler.fit_transform(X)

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2)

model = RandomForestClassifier(n_estimators=300, max_depth=12)
model.fit(X_train, y_train)
run.log({"accuracy": model.score(X_test, y_test)})

with open("model.pkl", "wb") as f:
    pickle.dump(model, f)
