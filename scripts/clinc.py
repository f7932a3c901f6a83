"""The CLINC150 intents that mean one of ours (../shared/eval-data/README.md); the rest are out of scope.

One mapping for the importer of training data (scripts/import_clinc.py) and the evaluation
(scripts/eval_nlu.py), so what we train on and what we score agree. The order is the importer's.
"""

CLINC_MAPPING = {
    "greeting": "greet",
    "goodbye": "goodbye",
    "thank_you": "thank_you",
    "yes": "affirm",
    "no": "deny",
    "are_you_a_bot": "bot_challenge",
    "bill_balance": "check_balance",
    "pay_bill": "make_payment",
}
