"""Checklists: templates (content), runs with answers and due dates, scores, printing."""
