from sklearn.model_selection import train_test_split
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
a, b, c, d = train_test_split(X, y)
a, *rest = b, c, d
for m in models:
    m = m.fit(pd.concat([a, b]), c)
    with open("x") as f:
        print(f"{accuracy_score(d, m.predict(b))}")
def helper(t):
    global a
    return [m.score(t, q) for q in d]
class K:
    def fit(self, x):
        self.x = x
        x += 1
        del x
