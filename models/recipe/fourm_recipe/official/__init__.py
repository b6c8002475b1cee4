"""Reference outputs from Apple/EPFL's official 4M code (github.com/apple/ml-4m), run locally.

Nothing of the official code is copied here: `official_import` puts a checkout of it on the
path and stands in for the third-party packages its modules import but the FM path never calls.
"""
