-- Report cards: the background to current performance, a section of its own in a council's published
-- card (what the latest figures show and why), apart from why the indicator matters.
ALTER TABLE "indicators" ADD COLUMN "background" text;
