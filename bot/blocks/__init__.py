"""The one place that builds Block Kit: messages, modals and the App Home.

:mod:`bot.blocks.kit` holds the primitives (escaping, clipping, Slack's limits, buttons, inputs); each
surface has its module (``contacts``, ``nudges``, ``home``, ``help``, ``interviews``, ``lookup``,
``questions``, ``drafts``, ``stats``, ``insights``) and each modal its module in :mod:`bot.blocks.modals`.
Renderers take display models from :mod:`bot.queries.models` and ids from :mod:`bot.domain.ids`.
"""
