import pandas as pd
from sklearn.preprocessing import StandardScaler as SS
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df[["a", "b"]] = SS().fit_transform(df[["a", "b"]])
X, y = df.drop(columns=["y"]), df["y"]
X_train, X_test, y_train, y_test = train_test_split(X, y)
