"""During the placement (issue 12, docs/0029-during-placement.md): pre-placement checks,
attendance and skills days, the learning agreement meeting and reviews, direct observations,
and the cause-for-concern process. One sub-package of the placements app; its models are
imported by ``placements/models.py``, where Django finds them."""
