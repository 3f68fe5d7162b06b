"""The gathering stage: fetch sources politely and safely, then parse what they return."""
