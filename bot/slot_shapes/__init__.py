"""One definition of each shape that is stored in a slot, read by the actions and the trainer pages.

Each module holds one shape, its record and the one pair of functions that write it to a slot value
(plain JSON data: Decimals as strings, enums as their values) and read it back:

* :mod:`bot.slot_shapes.coaching_flags`: ``coaching_flags``, the flags shown during the conversation;
* :mod:`bot.slot_shapes.value_lines`: ``value_lines`` and ``pending_lines``, one value line each item;
* :mod:`bot.slot_shapes.roleplay_state`: ``roleplay_state``, the whole rehearsal;
* :mod:`bot.slot_shapes.scorecard`: ``scorecard``, a rehearsal's scorecard.

What only the actions read (value lines, the rehearsal state) is read strictly: a value the writer did
not make raises. What the trainer pages read (flags, scorecards) is read leniently
(:mod:`bot.slot_shapes.lenient`): stored by any version, it never raises and reads what it can.
Importing this package imports none of its modules; the lenient ones import nothing heavy.
"""
