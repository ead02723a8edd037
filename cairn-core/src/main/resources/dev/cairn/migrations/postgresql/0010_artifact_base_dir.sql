-- Artifacts that live outside the goal's project directory: an imported goal's files stay where the store they came
-- from kept them (omk's state directory), or where the import copied them. base_dir is the absolute directory such an
-- artifact's path is relative to; NULL (every artifact registered through the API) means the goal's project directory.
ALTER TABLE goal_artifacts ADD COLUMN base_dir TEXT;
