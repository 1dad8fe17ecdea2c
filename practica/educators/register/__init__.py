"""The practice educator register: entries, activities, currency and reviews, the shared
Stage 2 register and a practice educator's own profile."""
