import torch.nn as nn
from sklearn.model_selection import KFold, train_test_split
import unittest

SEED = 42
LR: float = -1e-3
A = B = "shared"
URL = f"http://{host}/x"

class Net(nn.Module):
    LAYERS = 3
    def forward(self, x):
        return x

class TestNet(unittest.TestCase):
    def test_forward(self):
        self.assertEqual(Net().forward(1), 1)

train_test_split(X, y, shuffle=False, test_size=0.2, random_state=-1, stratify=None)
KFold(n_splits=5, shuffle=True, **kw)
model.fit(X, y)
